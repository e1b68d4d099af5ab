from django.contrib import admin

from .models import InterestArea, PersonalInterest, Sector, Skill


class TermAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Sector)
class SectorAdmin(TermAdmin):
    filter_horizontal = ["interest_areas"]


admin.site.register(InterestArea, TermAdmin)
admin.site.register(PersonalInterest, TermAdmin)


@admin.register(Skill)
class SkillAdmin(TermAdmin):
    list_display = ["name_nl", "name_en", "category", "slug", "is_active"]
    list_filter = ["category", "is_active"]

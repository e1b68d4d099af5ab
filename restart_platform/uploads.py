"""A cap on the size of a whole upload request, checked before any of it is read."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestSizeLimitHandler(FileUploadHandler):
    """Refuse a multipart body larger than settings.MAX_UPLOAD_REQUEST_SIZE (a 400).

    Django caps the form fields of a request (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files;
    the largest upload we take (an employer list) is far smaller. The page that takes the file
    refuses files past its own limit with a message; this is the backstop for everything else.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.MAX_UPLOAD_REQUEST_SIZE:
            raise RequestDataTooBig("The upload is larger than MAX_UPLOAD_REQUEST_SIZE.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None

"""Requests: submission, the life cycle staff and applicants drive, the timeline, what the
applicant sees; sub-tasks, merging and related requests, canned responses.

The public surface is named here; modules of this package build on ``records`` (where
requests live, who acts, what they hold) and ``timeline`` (every step, announced as an
event other capabilities subscribe to).
"""

from uni.servicedesk.api.requests import canned  # noqa: F401
from uni.servicedesk.api.requests import relations  # noqa: F401
from uni.servicedesk.api.requests import subtasks  # noqa: F401
from uni.servicedesk.api.requests.applicant import TooManyAttempts  # noqa: F401
from uni.servicedesk.api.requests.applicant import applicant_reply  # noqa: F401
from uni.servicedesk.api.requests.applicant import my_requests  # noqa: F401
from uni.servicedesk.api.requests.applicant import public_view  # noqa: F401
from uni.servicedesk.api.requests.applicant import reopen  # noqa: F401
from uni.servicedesk.api.requests.applicant import service_steps  # noqa: F401
from uni.servicedesk.api.requests.applicant import verify  # noqa: F401
from uni.servicedesk.api.requests.applicant import withdraw  # noqa: F401
from uni.servicedesk.api.requests.records import ACTIVE_STATES  # noqa: F401
from uni.servicedesk.api.requests.records import AS_APPLICANT  # noqa: F401
from uni.servicedesk.api.requests.records import HANDLER_ROLE  # noqa: F401
from uni.servicedesk.api.requests.records import INTERNAL  # noqa: F401
from uni.servicedesk.api.requests.records import KINDS  # noqa: F401
from uni.servicedesk.api.requests.records import KINDS_FOR_A_SERVICE  # noqa: F401
from uni.servicedesk.api.requests.records import KINDS_OF_FEEDBACK  # noqa: F401
from uni.servicedesk.api.requests.records import PORTAL_TYPE  # noqa: F401
from uni.servicedesk.api.requests.records import REFER  # noqa: F401
from uni.servicedesk.api.requests.records import REQUESTS_FOLDER_ID  # noqa: F401
from uni.servicedesk.api.requests.records import WORK  # noqa: F401
from uni.servicedesk.api.requests.records import applicant_language  # noqa: F401
from uni.servicedesk.api.requests.records import as_applicant  # noqa: F401
from uni.servicedesk.api.requests.records import attachment_info  # noqa: F401
from uni.servicedesk.api.requests.records import attachments  # noqa: F401
from uni.servicedesk.api.requests.records import current_user  # noqa: F401
from uni.servicedesk.api.requests.records import find_by_code  # noqa: F401
from uni.servicedesk.api.requests.records import handlers  # noqa: F401
from uni.servicedesk.api.requests.records import requests_folder  # noqa: F401
from uni.servicedesk.api.requests.records import roles_changed  # noqa: F401
from uni.servicedesk.api.requests.records import service_of  # noqa: F401
from uni.servicedesk.api.requests.records import service_title  # noqa: F401
from uni.servicedesk.api.requests.records import state  # noqa: F401
from uni.servicedesk.api.requests.records import state_title  # noqa: F401
from uni.servicedesk.api.requests.records import tracking_url  # noqa: F401
from uni.servicedesk.api.requests.staff import deliver  # noqa: F401
from uni.servicedesk.api.requests.staff import hand_back  # noqa: F401
from uni.servicedesk.api.requests.staff import note  # noqa: F401
from uni.servicedesk.api.requests.staff import refer  # noqa: F401
from uni.servicedesk.api.requests.staff import release_handlers  # noqa: F401
from uni.servicedesk.api.requests.staff import reply  # noqa: F401
from uni.servicedesk.api.requests.staff import request_documents  # noqa: F401
from uni.servicedesk.api.requests.staff import resolve  # noqa: F401
from uni.servicedesk.api.requests.staff import valid_expert  # noqa: F401
from uni.servicedesk.api.requests.staff import valid_unit  # noqa: F401
from uni.servicedesk.api.requests.submission import SubmissionError  # noqa: F401
from uni.servicedesk.api.requests.submission import account_details  # noqa: F401
from uni.servicedesk.api.requests.submission import anonymous_may_request  # noqa: F401
from uni.servicedesk.api.requests.submission import check_applicant  # noqa: F401
from uni.servicedesk.api.requests.submission import check_creation_limits  # noqa: F401
from uni.servicedesk.api.requests.submission import count_creation  # noqa: F401
from uni.servicedesk.api.requests.submission import create  # noqa: F401
from uni.servicedesk.api.requests.submission import submit  # noqa: F401
from uni.servicedesk.api.requests.submission import why_not_requestable  # noqa: F401
from uni.servicedesk.api.requests.timeline import log_event  # noqa: F401
from uni.servicedesk.api.requests.timeline import timeline  # noqa: F401
from uni.servicedesk.api.requests.workflow import reopen_allowed  # noqa: F401
from uni.servicedesk.api.requests.workflow import transition  # noqa: F401

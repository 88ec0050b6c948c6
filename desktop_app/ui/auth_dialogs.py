"""Signing in: the first system admin of a new database, the login dialog, the own-password change.

Each dialog is a ``FormDialog``: Enter submits, Esc cancels, a refusal is shown at the field that
caused it and everything typed stays. The change-password dialog opened by the login dialog is
window-modal through ``open()``, so no nested event loop runs and tests can drive it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_app.domain.errors import PasswordChangeRequired, Refusals, ValidationError
from desktop_app.domain.passwords import MAX_LENGTH, PasswordRule
from desktop_app.ui import topics
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.shell import app_icon
from desktop_app.ui.widgets.forms import FormDialog

if TYPE_CHECKING:
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.ui.shell import ShellContext
    from desktop_app.ui.widgets.demo_banner import DemoBanner

# The login window is on screen before the data layer loads (it loads while the clerk types): what
# only signing in, a demo center or a password change needs is imported there, not here — the
# operations and the ``Qt`` namespace among them (its first use builds ~90 enum types, ~20 ms).


def password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(MAX_LENGTH)
    return edit


def policy_hint(services: Services, changing: bool = False) -> str:
    """Every rule of ``PasswordPolicy.rules()`` the new password must meet, one per line (the rule
    against the current password only when ``changing`` one)."""
    policy = services.center.get().policy
    length = QCoreApplication.translate("PasswordPolicy", "be {minimum} to {maximum} characters long").format(
        minimum=policy.min_length, maximum=MAX_LENGTH
    )
    texts = {
        PasswordRule.MIN_LENGTH: length,
        PasswordRule.MAX_LENGTH: length,
        PasswordRule.CLASSES: QCoreApplication.translate(
            "PasswordPolicy",
            "use at least {classes} of these four kinds: lower-case letters, upper-case letters, "
            "digits, symbols",
        ).format(classes=policy.min_classes),
        PasswordRule.NOT_USERNAME: QCoreApplication.translate("PasswordPolicy", "not contain the username"),
        PasswordRule.NOT_CURRENT: QCoreApplication.translate(
            "PasswordPolicy", "differ from the current password"
        ),
    }
    lines: list[str] = []
    for rule in policy.rules():
        if (changing or rule is not PasswordRule.NOT_CURRENT) and texts[rule] not in lines:
            lines.append(texts[rule])
    heading = QCoreApplication.translate("PasswordPolicy", "The password must:")
    return "\n".join([heading, *(f"• {line}" for line in lines)])


def _intro_label(dialog: FormDialog, text: str) -> QLabel:
    label = QLabel(text, dialog)
    label.setObjectName("intro")
    label.setWordWrap(True)
    label.setContentsMargins(0, 0, 0, 6)
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, label)
    return label


def _passwords_differ(
    dialog: FormDialog,
    services: Services,
    first: QLineEdit,
    second: QLineEdit,
    username: str,
    username_field: QLineEdit | None = None,
) -> bool:
    """Say so at the repeat field (and keep both) when the two entries differ, together with what
    else is wrong before the service is asked (the username, the password rules): all at once."""
    if first.text() == second.text():
        return False
    refusals = Refusals()
    if username_field is not None:
        # Here, not at the top: the login window opens before the data layer is imported.
        from desktop_app.services.auth import validate_username

        refusals.check(lambda: validate_username(username), None)
    refusals.check(
        lambda: services.center.get().policy.check(first.text(), username, first.objectName()), None
    )
    refusals.add(
        QCoreApplication.translate(
            "PasswordPolicy", "The two passwords are not the same. Type the password again."
        ),
        second.objectName(),
    )
    try:
        refusals.raise_any()
    except ValidationError as error:
        show_field_error(dialog, error)
    if not refusals.failed(first.objectName()):
        second.setFocus()
    second.selectAll()
    return True


class FirstAdminDialog(FormDialog):
    """A database without accounts: create its system administrator (who has no business rights)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Set up Integrity Desk"), parent)
        self.services = services
        self.already_set_up = False
        self.setWindowIcon(app_icon())
        _intro_label(
            self,
            self.tr(
                "This database has no accounts yet. Create the system administrator: the account that "
                "manages accounts, departments, staff and settings. It has no business rights: credit "
                "lookups, complaints, evaluations and scoring need accounts of their own, which the "
                "system administrator creates next."
            ),
        )
        self.username = self.add_field(
            self.tr("Username:"), QLineEdit(self), "username", self.tr("Username"), required=True
        )
        self.username.setMaxLength(32)
        self.username.setPlaceholderText(self.tr("Letters, digits and . _ -, e.g. sysadmin"))
        self.display_name = self.add_field(self.tr("Name:"), QLineEdit(self), "display_name", self.tr("Name"))
        self.display_name.setMaxLength(50)
        self.display_name.setPlaceholderText(self.tr("Shown in the status bar and the audit log"))
        self.password = self.add_field(
            self.tr("Password:"), password_edit(self), "password", self.tr("Password"), required=True
        )
        self.repeat_password = self.add_field(
            self.tr("Repeat password:"),
            password_edit(self),
            "repeat_password",
            self.tr("Repeat password"),
            required=True,
        )
        self.set_hint(policy_hint(services))
        self.save_button.setText(self.tr("Create administrator"))
        self.save_button.setObjectName("create")
        self.setMinimumWidth(520)

    def submit(self) -> None:
        clear_field_errors(self)
        if _passwords_differ(
            self, self.services, self.password, self.repeat_password, self.username.text(), self.username
        ):
            return
        username, password, display_name = (
            self.username.text(),
            self.password.text(),
            self.display_name.text(),
        )
        saved = self.save(
            lambda: self.services.auth.create_first_admin(username, password, display_name),
            changed=topics.USER,
        )
        if not saved and not self.services.auth.needs_first_admin():
            # Another workstation set the center up meanwhile: go on to the login with its message
            # (shown under the username here; the login reads it from the message line).
            self.already_set_up = True
            self.form_error.setText(self.refusal.message if self.refusal else "")
            self.accept()

    @property
    def created(self) -> CurrentUser | None:
        """The new system admin, once the dialog is accepted."""
        from desktop_app.services.context import CurrentUser

        return self.result_value if isinstance(self.result_value, CurrentUser) else None


class ChangePasswordDialog(FormDialog):
    """The account's own password change: old password, new one twice."""

    def __init__(
        self,
        services: Services,
        username: str,
        old_password: str = "",
        message: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Change password"), parent)
        self.services = services
        self.username = username
        self.new_password_value = ""
        if message:
            _intro_label(self, message)
        self.old_password = self.add_field(
            self.tr("Current password:"),
            password_edit(self),
            "old_password",
            self.tr("Current password"),
            required=True,
        )
        self.new_password = self.add_field(
            self.tr("New password:"),
            password_edit(self),
            "new_password",
            self.tr("New password"),
            required=True,
        )
        self.repeat_password = self.add_field(
            self.tr("Repeat new password:"),
            password_edit(self),
            "repeat_password",
            self.tr("Repeat new password"),
            required=True,
        )
        self.set_hint(policy_hint(services, changing=True))
        self.save_button.setText(self.tr("Change password"))
        self.save_button.setObjectName("change")
        self.setMinimumWidth(500)
        if old_password:
            # Typed a moment ago at the login dialog: asking for it again would only annoy.
            self.old_password.setText(old_password)
            self.new_password.setFocus()

    def submit(self) -> None:
        clear_field_errors(self)
        if _passwords_differ(self, self.services, self.new_password, self.repeat_password, self.username):
            return
        # Set before saving: ``accepted`` is emitted from inside save(), and its receivers need it.
        self.new_password_value = self.new_password.text()
        old_password, new_password = self.old_password.text(), self.new_password_value
        if not self.save(
            lambda: self.services.auth.change_password(self.username, old_password, new_password),
            changed=topics.USER,
        ):
            self.new_password_value = ""


class LoginDialog(FormDialog):
    """Username and password. ``actor`` holds the signed-in account once the dialog is accepted.

    It may open before the database has (``services`` None): typing goes on meanwhile, and a sign-in
    submitted before ``set_services`` waits for it and then goes through."""

    def __init__(
        self,
        services: Services | None,
        context: ShellContext,
        username: str = "",
        message: str = "",
        parent: QWidget | None = None,
        center_name: str = "",
    ) -> None:
        super().__init__(self.tr("Sign in — Integrity Desk"), parent)
        self.services = services
        self.context = context
        self.actor: CurrentUser | None = None
        self.change_dialog: ChangePasswordDialog | None = None
        self.waiting_for_database = False
        self.setWindowIcon(app_icon())

        header = QHBoxLayout()
        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(56, 56))
        header.addWidget(icon)
        titles = QVBoxLayout()
        title = QLabel(self.tr("Integrity Desk"), self)
        title.setObjectName("login_title")
        titles.addWidget(title)
        if services is not None:
            center_name = str(services.center.get()["center_name"])
        self.center = QLabel(center_name, self)
        self.center.setObjectName("login_center")
        titles.addWidget(self.center)
        header.addLayout(titles, 1)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertLayout(0, header)
        outer.insertSpacing(1, 8)
        self.demo_banner: DemoBanner | None = None
        if services is not None:
            self._mark_demo(services)

        self.username = self.add_field(
            self.tr("Username:"), QLineEdit(self), "username", self.tr("Username"), required=True
        )
        self.username.setMaxLength(64)
        self.password = self.add_field(
            self.tr("Password:"), password_edit(self), "password", self.tr("Password"), required=True
        )
        # Which database this is belongs to the system admin (settings, About), not the login screen.
        self.set_hint(
            self.tr("Workstation: {workstation}").format(workstation=context.settings.resolved_workstation())
        )
        self.hint.setObjectName("login_workstation")
        self.save_button.setText(self.tr("Sign in"))
        self.save_button.setObjectName("sign_in")
        self.setMinimumWidth(440)

        if username:
            self.username.setText(username)
            self.password.setFocus()
        else:
            self.username.setFocus()
        if message:
            self.form_error.setText(message)
            self.form_error.show()

    def _mark_demo(self, services: Services) -> None:
        """Known once the database is open: a demo center's login says so before anyone signs in."""
        if self.demo_banner is None and services.center.is_demo():
            from desktop_app.ui.widgets.demo_banner import DemoBanner

            self.demo_banner = DemoBanner(self)
            outer = self.layout()
            assert isinstance(outer, QVBoxLayout)
            outer.insertWidget(0, self.demo_banner)
            self.demo_banner.show()  # made after the dialog was shown: not shown with it

    def set_services(self, services: Services, center_name: str) -> None:
        """The database is open: sign in now if the password was submitted while it opened."""
        self.services = services
        self.center.setText(center_name)
        self._mark_demo(services)
        if self.waiting_for_database:
            self.waiting_for_database = False
            self.save_button.setEnabled(True)
            self.form_error.hide()
            self.submit()

    def submit(self) -> None:
        clear_field_errors(self)
        if self.services is None:
            self.waiting_for_database = True
            self.save_button.setEnabled(False)
            self.form_error.setText(self.tr("Opening the database… you will be signed in in a moment."))
            self.form_error.show()
            return
        from desktop_app.ui import operations

        username, password = self.username.text(), self.password.text()
        signed_in = operations.run(
            self, lambda: self.services.auth.login(username, password), handled=(PasswordChangeRequired,)
        )
        if isinstance(signed_in.error, PasswordChangeRequired):
            self._ask_new_password(username, password, signed_in.error.message)
            return
        if signed_in.error is not None:
            if signed_in.error.field in ("password", None):
                self.password.selectAll()
                self.password.setFocus()
            return
        self.actor = signed_in.value
        self.accept()

    def _ask_new_password(self, username: str, password: str, message: str) -> None:
        from PySide6.QtCore import Qt

        assert self.services is not None
        dialog = ChangePasswordDialog(self.services, username, password, message, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._sign_in_with(dialog.new_password_value))
        self.change_dialog = dialog
        dialog.open()

    def _sign_in_with(self, new_password: str) -> None:
        self.password.setText(new_password)
        self.submit()

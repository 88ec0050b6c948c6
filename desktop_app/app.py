"""Start-up of the GUI: QApplication, font, translations, style, crash handler, database, first window.

Called by ``desktop_app.__main__``: ``run_gui`` for the program, ``smoke_test`` for ``--smoke-test``
(the cold-start benchmark and CI's check of the built program). Qt, the services and the UI modules
are imported inside the functions, so importing this module costs nothing, and nothing is done
before the login dialog that the login dialog does not need. The database is reached only through
the services (``services.opening`` opens it).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from desktop_app.paths import Locations, resources_dir
from desktop_app.settings import Settings, describe_db_url

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.facade import Services

log = logging.getLogger(__name__)

FONT_FILE = Path("fonts") / "wqy-microhei.ttc"
STYLE_FILE = "style.qss"
APP_TRANSLATION = Path("translations") / "integrity_desk_zh_CN.qm"
EXIT_SOFTWARE = 70  # as desktop_app.cli: sysexits EX_SOFTWARE, a bug
FUSION = "Fusion"
STYLE_CHOSEN = "integrityDeskStyleChosen"  # property of an application made Fusion at creation

_translators: list[Any] = []  # installed QTranslators (Qt does not keep them alive)
_font_family: str | None = None
_showing_crash = False


# -- logging ---------------------------------------------------------------------------------------
def ensure_logging(log_file: Path) -> logging.Handler | None:
    """Log to the rotating file unless the entry point already does; returns the handler it added."""
    from desktop_app.logging_setup import QuietFileHandler, configure

    wanted = os.path.abspath(log_file)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, QuietFileHandler) and handler.baseFilename == wanted:
            return None
    return configure(log_file)


def qt_message_handler(mode: Any, context: Any, message: str) -> None:
    """Qt's own warnings go to the log, not to a console the clerk never sees."""
    from PySide6.QtCore import QtMsgType

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    category = getattr(context, "category", None) or "default"
    name = "qt" if category == "default" else f"qt.{category}"
    level = levels.get(mode, logging.WARNING)
    if message.startswith("This plugin does not support"):  # the offscreen platform, harmless
        level = logging.DEBUG
    logging.getLogger(name).log(level, "%s", message)


# -- crash handler ---------------------------------------------------------------------------------
def show_crash_dialog(log_file: Path, error: BaseException) -> None:
    """Say that something went wrong and where the details are; offer to go on or to quit."""
    global _showing_crash
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.logging_setup import scrub

    if QApplication.instance() is None or _showing_crash:
        return
    _showing_crash = True
    try:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QCoreApplication.translate("App", "Integrity Desk — unexpected error"),
            QCoreApplication.translate(
                "App", "Integrity Desk ran into an unexpected error. Records already saved are safe."
            ),
        )
        box.setObjectName("crash_dialog")
        box.setInformativeText(
            QCoreApplication.translate(
                "App",
                "The details were written to the log file:\n{path}\n\nPlease give this file to the IT "
                "staff. You can go on working; if the error comes back, quit and start the program again.",
            ).format(path=log_file)
        )
        box.setDetailedText(scrub(f"{type(error).__name__}: {error}"))
        go_on = box.addButton(
            QCoreApplication.translate("App", "Continue"), QMessageBox.ButtonRole.AcceptRole
        )
        quit_button = box.addButton(
            QCoreApplication.translate("App", "Quit"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(go_on)
        box.exec()
        if box.clickedButton() is quit_button:
            QApplication.exit(EXIT_SOFTWARE)
    finally:
        _showing_crash = False


def install_crash_handler(log_file: Path) -> None:
    """Every uncaught exception is logged with its traceback and shown; none is swallowed."""

    def hook(exc_type: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, error, traceback)
            return
        log.critical("unhandled exception", exc_info=(exc_type, error, traceback))
        if sys.stderr is not None:  # a windowed build has no console
            sys.__excepthook__(exc_type, error, traceback)
        show_crash_dialog(log_file, error)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        # Only the GUI thread may show a dialog; a worker's error is logged (and printed).
        log.critical(
            "unhandled exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )
        threading.__excepthook__(args)

    sys.excepthook = hook
    threading.excepthook = thread_hook


# -- application -----------------------------------------------------------------------------------
def create_application(argv: list[str]) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from desktop_app import APP_NAME, __version__

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fusion chosen at creation, by Qt's own ``-style`` option (taken out of the arguments again):
        # asking the style its name after, or setting it, hands a QStyle to Python, which builds
        # PySide's QStyle type and its hundreds of enum values (~8 ms before the login's first paint).
        app = QApplication([*argv, "-style", FUSION])
        app.setProperty(STYLE_CHOSEN, True)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    return app


def install_font(app: QApplication) -> str | None:
    """Make the bundled WenQuanYi Micro Hei the first font family, so Chinese renders on any machine;
    the platform's own families stay behind it for anything it lacks."""
    global _font_family
    from PySide6.QtGui import QFont, QFontDatabase

    if _font_family is None:
        path = resources_dir() / FONT_FILE
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("the bundled font %s could not be loaded; using the system fonts", path)
            return None
        _font_family = families[0]
    font = QFont(app.font())
    rest = [family for family in font.families() if family != _font_family]
    font.setFamilies([_font_family, *rest])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return _font_family


def apply_language(app: QApplication, language: str) -> bool:
    """zh_CN: the app's translation and Qt's own (standard buttons, dialogs); anything else: English.

    Returns whether the app's translation was loaded."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    if language != "zh_CN":
        QLocale.setDefault(QLocale("en_US"))
        return False
    QLocale.setDefault(QLocale("zh_CN"))
    ours = QTranslator(app)
    loaded = ours.load(str(resources_dir() / APP_TRANSLATION))
    if loaded:
        app.installTranslator(ours)
        _translators.append(ours)
    else:
        log.warning("translation %s not found; the interface stays in English", APP_TRANSLATION)
    qt_own = QTranslator(app)
    if qt_own.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _translators.append(qt_own)
    else:
        log.info("Qt's own Chinese translation (qtbase_zh_CN.qm) not found")
    return loaded


def style_sheet() -> str:
    """The application's style sheet; its ``icons:`` images are found in resources/icons."""
    from PySide6.QtCore import QDir

    QDir.setSearchPaths("icons", [str(resources_dir() / "icons")])
    return (resources_dir() / STYLE_FILE).read_text(encoding="utf-8")


def apply_style(app: QApplication) -> None:
    from desktop_app.ui.shell import app_icon

    # Fusion everywhere: the same look on every platform, and the style sheet applies fully. An
    # application made by create_application has it already (see there); another one is asked.
    if not app.property(STYLE_CHOSEN) and app.style().name().lower() != FUSION.lower():
        app.setStyle(FUSION)
    try:
        app.setStyleSheet(style_sheet())
    except OSError:
        log.warning("style sheet %s not found", STYLE_FILE)
    app.setWindowIcon(app_icon())


def prepare_application(argv: list[str], language: str) -> QApplication:
    app = create_application(argv)
    install_font(app)
    apply_language(app, language)
    apply_style(app)
    return app


# -- database --------------------------------------------------------------------------------------
def check_connection(url: str) -> str:
    """What the settings dialog's "Test connection" says: a message, or a DomainError at ``db_url``.

    A SQLite file is only inspected (never created); a PostgreSQL server is connected to."""
    from PySide6.QtCore import QCoreApplication

    from desktop_app.domain.errors import DomainError
    from desktop_app.services.opening import ConnectionOutcome as Outcome
    from desktop_app.services.opening import check_connection as check

    found = check(url)
    path, detail = found.path, found.detail
    if found.outcome is Outcome.MEMORY:
        return QCoreApplication.translate("App", "A database in memory: nothing in it is kept.")
    if found.outcome is Outcome.NEW_FILE:
        return QCoreApplication.translate(
            "App", "The file {path} does not exist yet: it will be created at the next start."
        ).format(path=path)
    if found.outcome is Outcome.SQLITE_FILE:
        return QCoreApplication.translate("App", "The SQLite file {path} can be opened.").format(path=path)
    if found.outcome is Outcome.POSTGRESQL:
        return QCoreApplication.translate("App", "Connected to PostgreSQL {version}.").format(version=detail)
    if found.outcome is Outcome.NOT_A_URL:
        problem = QCoreApplication.translate("App", "This is not a database URL.")
    elif found.outcome is Outcome.UNSUPPORTED:
        problem = QCoreApplication.translate("App", "Only SQLite and PostgreSQL databases are supported.")
    elif found.outcome is Outcome.FOLDER_NOT_WRITABLE:
        problem = QCoreApplication.translate("App", "The folder of {path} cannot be written to.").format(
            path=path
        )
    elif found.outcome is Outcome.UNSOUND_FILE:
        problem = QCoreApplication.translate(
            "App", "{path} is not a sound SQLite database: {problem}"
        ).format(path=path, problem=detail)
    else:
        problem = QCoreApplication.translate("App", "Cannot connect: {error}").format(error=detail)
    raise DomainError(problem, field="db_url")


def _safe_description(url: str) -> str:
    try:
        return describe_db_url(url)
    except Exception:  # a URL too broken to parse: say nothing of it rather than leak a password
        return "?"


def open_configured(where: Locations, settings: Settings, url: str) -> Services:
    """Open the database (check, back up, upgrade, check the key); the caller disposes of it."""
    from desktop_app.services.opening import open_services

    services, report = open_services(
        url,
        settings.resolved_key_file(where),
        where.backups,
        settings.resolved_workstation(),
        keep=settings.backup_keep(),
    )
    services.backup_problem = report.backup_problem
    log.info(
        "database open: %s (new %s, upgraded from %s, backup %s)",
        _safe_description(url),
        report.new_database,
        report.upgraded_from,
        report.backup.name if report.backup else None,
    )
    return services


def _database_problem(
    where: Locations, settings: Settings, url: str, override: str | None, problem: str
) -> bool:
    """Tell why the database did not open; True when the user fixed the settings and wants to retry."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialog, QMessageBox

    from desktop_app.ui.settings_dialog import SettingsDialog
    from desktop_app.ui.shell import ShellContext

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("App", "Integrity Desk"),
        QCoreApplication.translate("App", "The database could not be opened."),
    )
    box.setObjectName("database_problem")
    box.setInformativeText(
        QCoreApplication.translate("App", "{problem}\n\nDatabase: {database}\nLog file: {log}").format(
            problem=problem, database=_safe_description(url), log=where.log_file
        )
    )
    settings_button = box.addButton(
        QCoreApplication.translate("App", "Database settings…"), QMessageBox.ButtonRole.ActionRole
    )
    box.addButton(QCoreApplication.translate("App", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not settings_button:
        return False
    # Nobody is signed in: the database settings need the workstation's admin password (if set).
    dialog = SettingsDialog(ShellContext(where, settings, url, override, check_connection), signed_in=False)
    return dialog.exec() == QDialog.DialogCode.Accepted


def database_problem_text(error: BaseException) -> str | None:
    """Why the database did not open, in the user's language; None for a bug (not the user's to fix)."""
    from PySide6.QtCore import QCoreApplication

    from desktop_app.domain.errors import DomainError
    from desktop_app.services.opening import DatabaseUnreachable, InvalidDatabaseUrl, UnsupportedDatabase

    if isinstance(error, InvalidDatabaseUrl):
        return QCoreApplication.translate("App", "The database URL in the settings is not valid.")
    if isinstance(error, UnsupportedDatabase):
        return QCoreApplication.translate("App", "Only SQLite and PostgreSQL databases are supported.")
    if isinstance(error, DatabaseUnreachable):
        return QCoreApplication.translate("App", "The database cannot be reached: {error}").format(
            error=error.reason
        )
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, OSError):
        return QCoreApplication.translate("App", "A file of the database cannot be used: {error}").format(
            error=error
        )
    return None


def open_database_interactively(
    where: Locations, settings: Settings, db_url_override: str | None
) -> tuple[Services, Settings, str] | None:
    """Open the configured database; on a problem the user can fix, say so and offer the settings.

    Returns None when the user gives up (the program then exits with code 1)."""
    while True:
        url = settings.resolved_db_url(where, db_url_override)
        try:
            return open_configured(where, settings, url), settings, url
        except Exception as error:
            problem = database_problem_text(error)
            if problem is None:
                raise
        log.warning("database %s not opened: %s", _safe_description(url), problem)
        if not _database_problem(where, settings, url, db_url_override, problem):
            return None
        settings = Settings.load(where)


def build_shared_qt_types() -> None:
    """Build, on the GUI thread, the PySide types the login window leaves unbuilt (it paints sooner
    without them) and both threads may soon need: PySide builds a type, enums and all, at its first
    use, and the warm-up's imports on the opener's thread must not race the GUI thread (a refusal's
    message box, the wait cursor of a sign-in) into building one twice. Run once the login is on
    screen, just before the opener starts."""
    # Importing the name builds the type (and its enums).
    from PySide6.QtCore import Qt  # noqa: F401
    from PySide6.QtWidgets import QMessageBox, QStyle  # noqa: F401


def warm_up_main_window() -> None:
    """Import what signing in will need, on the opener's thread while the user types."""
    import desktop_app.services.complaints.todo  # the status bar's counts, the home page's 待办
    import desktop_app.services.credit
    import desktop_app.services.evaluations  # a leader's status bar count of proposals waiting
    import desktop_app.ui.credit.lookup
    import desktop_app.ui.main_window  # noqa: F401
    from desktop_app.domain.search_text import fold
    from desktop_app.ui.notices.preview import warm_up as warm_up_notices

    fold("華")  # builds the traditional→simplified table the first search needs
    warm_up_notices()  # the font and the layouts of the first certificate (Ctrl+P)


# -- entry points ----------------------------------------------------------------------------------
def _import_data_layer_first() -> None:
    """Import SQLAlchemy and the store (through the services that use them) before PySide6: once
    PySide6 is imported, its import hook inspects every later import, which makes SQLAlchemy's
    hundreds of modules load markedly slower. For the smoke test, which opens the database first;
    the GUI shows its login window before any of it."""
    import desktop_app.services.context
    import desktop_app.services.opening  # noqa: F401


def run_gui(where: Locations, settings: Settings, db_url_override: str | None, argv: list[str]) -> int:
    """The login window first; the data layer loads and the database opens behind it."""
    from PySide6.QtCore import qInstallMessageHandler

    where.ensure()
    ensure_logging(where.log_file)
    app = prepare_application(argv, settings.language)
    qInstallMessageHandler(qt_message_handler)
    install_crash_handler(where.log_file)

    from desktop_app.ui.session import SessionController
    from desktop_app.ui.shell import ShellContext
    from desktop_app.ui.startup import BackgroundOpener

    current = {"settings": settings}

    def context() -> ShellContext:
        chosen = current["settings"]
        url = chosen.resolved_db_url(where, db_url_override)
        return ShellContext(where, chosen, url, db_url_override, check_connection)

    def open_now() -> Services:
        shell = context()
        return open_configured(where, shell.settings, shell.db_url)

    opener = BackgroundOpener(open_now, warm_up_main_window, prepare=build_shared_qt_types)
    controller = SessionController(None, context(), opener)

    def database_failed(error: BaseException) -> None:
        problem = database_problem_text(error)
        if problem is None:  # a bug: logged with its traceback, shown, and the program ends
            log.critical("the database could not be opened", exc_info=error)
            show_crash_dialog(where.log_file, error)
            app.exit(EXIT_SOFTWARE)
            return
        shell = context()
        log.warning("database %s not opened: %s", _safe_description(shell.db_url), problem)
        if _database_problem(where, shell.settings, shell.db_url, db_url_override, problem):
            current["settings"] = Settings.load(where)
            controller.retry(context())
        else:
            app.exit(1)

    controller.database_failed.connect(database_failed)
    app.setQuitOnLastWindowClosed(False)  # between sign-out and the next login no window is open
    controller.finished.connect(app.exit)
    controller.start()
    try:
        return app.exec()
    finally:
        controller.close_all()
        opener.wait(30)
        if controller.services is not None:
            controller.services.dispose()


def _check_search_folding() -> None:
    """The packaged app must carry the data the lookup folds names with (OpenCC table, pypinyin)."""
    import openpyxl  # noqa: F401  (import files are read with it)

    from desktop_app.domain.search_text import fold, pinyin_initials

    if fold("華建") != "华建" or pinyin_initials("单雄信", person=True) != "sxx":
        raise RuntimeError("search folding data missing from this build")


def _check_charts() -> list[Any]:
    """The packaged app must draw a chart: pyqtgraph and numpy are in it and run on PySide6.
    Returns the charts (the caller deletes them with its windows)."""
    from desktop_app.ui.widgets.charts import BarChartWidget, LineChartWidget, pyqtgraph

    if pyqtgraph().Qt.QT_LIB != "PySide6":
        raise RuntimeError("pyqtgraph did not pick PySide6")
    charts: list[Any] = [BarChartWidget(title="图表", stacked=True), LineChartWidget(title="图表")]
    for chart in charts:
        chart.set_data(["一月", "二月"], [("甲", [1, 2]), ("乙", [2, None])])
        chart.resize(400, 300)
        if chart.grab().isNull():
            raise RuntimeError("a chart could not be drawn in this build")
    return charts


def smoke_test(where: Locations, settings: Settings, db_url_override: str | None) -> int:
    """Open the database and build the login dialog and the main window offscreen, for an actor
    holding every right; print ok.

    The actor is synthetic and never stored: nothing is written to the database beyond what opening
    it does (migrations, key fingerprint on a new database)."""
    _import_data_layer_first()
    from PySide6.QtCore import QCoreApplication, QEvent, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from desktop_app.domain.errors import DomainError
    from desktop_app.domain.roles import Permission
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.opening import open_services
    from desktop_app.ui.shell import ShellContext

    fresh = QApplication.instance() is None
    if fresh:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    where.ensure()
    handler = ensure_logging(where.log_file)
    try:
        app = prepare_application(["integrity-desk"], settings.language)
        if fresh:
            qInstallMessageHandler(qt_message_handler)
        url = settings.resolved_db_url(where, db_url_override)
        try:
            services, _ = open_services(
                url, settings.resolved_key_file(where), where.backups, settings.resolved_workstation()
            )
        except DomainError as error:
            print(error.message, file=sys.stderr)
            return 1
        try:
            from desktop_app.ui.auth_dialogs import LoginDialog
            from desktop_app.ui.main_window import MainWindow

            context = ShellContext(where, settings, url, db_url_override, check_connection)
            login = LoginDialog(services, context)
            login.show()
            app.processEvents()
            login.hide()
            actor = CurrentUser(
                user_id=None,
                username="<smoke-test>",
                display_name="smoke",
                roles=frozenset(),
                workstation=settings.resolved_workstation(),
                permissions=frozenset(Permission),
            )
            _check_search_folding()
            services.credit.search(actor, "华建")  # the lookup's queries run on this database
            window = MainWindow(services, actor, context)
            window.remember_layout = False  # an offscreen size must not become the user's
            window.show()
            app.processEvents()
            # Pages are built on first use, as in a real session; the UI tests build every one.
            window.end_session("quit", force=True)
            charts = _check_charts()
            for widget in (login, window, *charts):
                widget.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        finally:
            services.dispose()
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()
    print("ok", flush=True)
    return 0

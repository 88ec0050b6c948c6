"""Departments and staff (with their personal data sealed at rest and masked on screen)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.identifiers import normalize_phone, normalize_resident_id
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, changes
from desktop_app.services.context import CurrentUser
from desktop_app.store.models import Department, Staff

PERSONAL_FIELDS = {"phone": "手机/电话", "id_number": "身份证号"}


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    name: str
    sort_order: int
    active: bool
    version: int
    staff_count: int = 0


@dataclass(frozen=True)
class StaffInfo:
    id: int
    employee_no: str
    name: str
    department_id: int
    department_name: str
    post: str
    active: bool
    phone_masked: str
    id_number_masked: str
    version: int
    updated_by: str


def _staff_info(row: Staff) -> StaffInfo:
    return StaffInfo(
        row.id,
        row.employee_no,
        row.name,
        row.department_id,
        row.department.name,
        row.post,
        row.active,
        row.phone_masked or "",
        row.id_number_masked or "",
        row.version,
        row.updated_by,
    )


class OrganisationService(Service):
    # -- departments ------------------------------------------------------------------------
    def departments(self, include_inactive: bool = True) -> list[DepartmentInfo]:
        with self.db.session() as session:
            counts = dict(
                session.execute(
                    select(Staff.department_id, func.count())
                    .where(Staff.active)
                    .group_by(Staff.department_id)
                ).all()
            )
            query = select(Department).order_by(Department.sort_order, Department.id)
            if not include_inactive:
                query = query.where(Department.active)
            return [
                DepartmentInfo(d.id, d.name, d.sort_order, d.active, d.version, counts.get(d.id, 0))
                for d in session.scalars(query)
            ]

    def save_department(
        self,
        actor: CurrentUser,
        name: str,
        department_id: int | None = None,
        active: bool = True,
        expected_version: int | None = None,
    ) -> DepartmentInfo:
        actor.require(Permission.ADMIN_ORGANISATION)
        clean = clean_text(name, "name", "科室名称", 50, required=True)
        with self.write("已有同名科室。", "name") as session:
            clash = session.scalar(select(Department.id).where(Department.name == clean))
            if clash is not None and clash != department_id:
                raise ValidationError("已有同名科室。", field="name")
            if department_id is None:
                order = (session.scalar(select(func.max(Department.sort_order))) or 0) + 1
                row = Department(name=clean, sort_order=order, active=active, updated_by=actor.username)
                session.add(row)
                session.flush()
                self.audit(session, actor, "department.create", "department", row.id, {"name": clean})
            else:
                row = self.get_or_404(session, Department, department_id, "科室")
                self.check_version(row, expected_version)
                if not active and row.active:
                    in_use = session.scalar(
                        select(func.count())
                        .select_from(Staff)
                        .where(Staff.department_id == row.id, Staff.active)
                    )
                    if in_use:
                        raise ValidationError(
                            f"该科室还有 {in_use} 名在岗人员，请先调整人员科室。", field="active"
                        )
                diff = changes(row, {"name": clean, "active": active})
                if diff:
                    row.updated_by = actor.username
                    row.updated_at = self.db.now()
                    self.audit(session, actor, "department.update", "department", row.id, diff)
            session.flush()
            return DepartmentInfo(row.id, row.name, row.sort_order, row.active, row.version)

    # -- staff ------------------------------------------------------------------------------
    def staff(self, department_id: int | None = None, include_inactive: bool = True) -> list[StaffInfo]:
        with self.db.session() as session:
            query = select(Staff).order_by(Staff.employee_no)
            if department_id is not None:
                query = query.where(Staff.department_id == department_id)
            if not include_inactive:
                query = query.where(Staff.active)
            return [_staff_info(s) for s in session.scalars(query)]

    def save_staff(
        self,
        actor: CurrentUser,
        *,
        employee_no: str,
        name: str,
        department_id: int | None,
        post: str = "",
        active: bool = True,
        phone: str | None = None,
        id_number: str | None = None,
        staff_id: int | None = None,
        expected_version: int | None = None,
    ) -> StaffInfo:
        """Create or update. ``phone``/``id_number`` None keeps the stored value; "" clears it."""
        actor.require(Permission.ADMIN_ORGANISATION)
        refusals = Refusals()  # every field at fault at once
        number = refusals.check(lambda: clean_text(employee_no, "employee_no", "工号", 20, required=True), "")
        clean_name = refusals.check(lambda: clean_text(name, "name", "姓名", 50, required=True), "")
        if department_id is None:
            refusals.add("请选择所属科室。", "department")
        clean_post = refusals.check(lambda: clean_text(post, "post", "岗位", 50), "")
        values: dict[str, object] = {
            "employee_no": number,
            "name": clean_name,
            "department_id": department_id,
            "post": clean_post,
            "active": active,
        }
        if phone is not None:
            values["phone"] = refusals.check(lambda: normalize_phone(phone), None) if phone.strip() else None
        if id_number is not None:
            values["id_number"] = (
                refusals.check(lambda: normalize_resident_id(id_number), None) if id_number.strip() else None
            )
        refusals.raise_any()
        with self.write("工号已被占用。", "employee_no") as session:
            clash = session.scalar(select(Staff.id).where(Staff.employee_no == number))
            if clash is not None and clash != staff_id:
                raise ValidationError("工号已被占用。", field="employee_no")
            dept = session.get(Department, department_id)
            if dept is None or not dept.active:
                raise ValidationError("所选科室不存在或已停用。", field="department")
            if staff_id is None:
                row = Staff(updated_by=actor.username, **values)
                session.add(row)
                session.flush()
                summary = {k: v for k, v in values.items() if k not in PERSONAL_FIELDS}
                summary.update({k: "（已填写）" for k in PERSONAL_FIELDS if values.get(k)})
                self.audit(session, actor, "staff.create", "staff", row.id, summary)
            else:
                found = session.scalars(
                    select(Staff)
                    .where(Staff.id == staff_id)
                    .options(undefer(Staff.phone), undefer(Staff.id_number))
                ).one_or_none()
                if found is None:
                    raise ValidationError("该人员不存在。")
                row = found
                self.check_version(row, expected_version)
                diff = changes(row, values, personal=frozenset(PERSONAL_FIELDS))
                if diff:
                    row.updated_by = actor.username
                    row.updated_at = self.db.now()
                    self.audit(session, actor, "staff.update", "staff", row.id, diff)
            session.flush()
            session.refresh(row)
            return _staff_info(row)

    def reveal_personal_data(self, actor: CurrentUser, staff_id: int, field: str, reason: str) -> str:
        """Show one personal value in clear: needs the right and a reason, and is audited."""
        actor.require(Permission.UNMASK_PERSONAL_DATA)
        if field not in PERSONAL_FIELDS:
            raise ValidationError("未知字段。")
        why = (reason or "").strip()
        if len(why) < 4:
            raise ValidationError("请填写查看原因（至少 4 个字）。", field="reason")
        if len(why) > 200:
            raise ValidationError("查看原因不能超过 200 个字。", field="reason")
        with self.write() as session:
            row = self.get_or_404(session, Staff, staff_id, "人员")
            value = getattr(row, field)
            self.audit(session, actor, "pii.unmask", "staff", staff_id, {"field": field, "reason": why})
            return value or ""

"""Demo data for the plan's organisation, resources, roster, drills and improvements.

Written through the services, like a user's edits: every row is validated and audited.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ebconsole.demo import names
from ebconsole.drills import service as drills
from ebconsole.drills.enums import ExerciseKind, Rating
from ebconsole.drills.schemas import RecordCreate
from ebconsole.organisation import service as organisation
from ebconsole.organisation.enums import GroupCode
from ebconsole.organisation.schemas import MemberCreate, MemberUpdate
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.resources.schemas import ResourceCreate
from ebconsole.roster import service as roster
from ebconsole.roster.schemas import PersonOnDuty
from ebconsole.timeutil import local_zone, utcnow

MEMBERS = {
    GroupCode.LEADERSHIP: [
        ("行长", "行领导"),
        ("分管副行长", "行领导"),
        ("电子银行部总经理", "电子银行部"),
        ("信息科技部总经理", "信息科技部"),
        ("风险管理部总经理", "风险管理部"),
    ],
    GroupCode.WORKING: [
        ("电子银行部副总经理", "电子银行部"),
        ("信息科技部副总经理", "信息科技部"),
        ("运营管理部负责人", "运营管理部"),
        ("网络安全负责人", "信息科技部"),
        ("系统运维主管", "信息科技部"),
        ("业务运营主管", "电子银行部"),
    ],
    GroupCode.SUPPORT: [
        ("客户服务中心主任", "客户服务中心"),
        ("法律合规部负责人", "法律合规部"),
        ("办公室主任（公关）", "办公室"),
        ("安全保卫部负责人", "安全保卫部"),
    ],
}

RESOURCES = [
    (
        ResourceKind.BACKUP_SYSTEM,
        "同城灾备中心（核心系统）",
        "亦庄数据中心",
        1,
        "套",
        "灾备中心值班室",
    ),
    (
        ResourceKind.BACKUP_SYSTEM,
        "异地灾备中心（网银/手机银行）",
        "合肥灾备中心",
        1,
        "套",
        "灾备运维组",
    ),
    (ResourceKind.TECHNICAL_TEAM, "应急技术小组（7×24）", "信息科技部", 12, "人", "应急技术组长"),
    (ResourceKind.MONITORING, "交易监控与预警平台", "主数据中心", 1, "套", "监控值班台"),
    (ResourceKind.SPARE_EQUIPMENT, "备用应用服务器", "主数据中心备件库", 6, "台", "机房管理员"),
    (ResourceKind.SPARE_EQUIPMENT, "备用核心交换机", "主数据中心备件库", 2, "台", "网络组"),
    (ResourceKind.SPARE_EQUIPMENT, "备用防火墙", "主数据中心备件库", 2, "台", "安全组"),
    (ResourceKind.EMERGENCY_SUPPLIES, "UPS 不间断电源", "各分行机房", 14, "台", "后勤保障部"),
    (ResourceKind.EMERGENCY_SUPPLIES, "柴油发电机", "主数据中心", 2, "台", "后勤保障部"),
    (ResourceKind.EMERGENCY_SUPPLIES, "移动存储设备", "应急物资库", 20, "块", "运维组"),
    (ResourceKind.BACKUP_MEDIA, "核心数据备份磁带", "异地介质库", 120, "盘", "介质管理员"),
    (ResourceKind.BACKUP_MEDIA, "网银系统离线备份", "灾备中心", 30, "份", "灾备运维组"),
    (ResourceKind.LOGISTICS, "设备紧急运输协议单位", "某物流公司", 1, "家", "客户经理"),
    (ResourceKind.LOGISTICS, "备件供应商 4 小时到场服务", "某设备厂商", 1, "家", "服务经理"),
    (ResourceKind.OTHER_CONTACT, "当地人民银行科技处", "人民银行分支机构", 1, "个", "联络员"),
    (ResourceKind.OTHER_CONTACT, "辖区公安反诈中心", "公安机关", 1, "个", "联络员"),
]

FINDINGS = [
    "备份切换步骤文档与实际不一致",
    "客服中心未及时收到统一答复口径",
    "部分人员不熟悉应急通讯录",
    "监控告警升级时间偏长",
    "桌面推演中决策链条不清晰",
]


def generate_plan_data(session: Session, rng: random.Random) -> dict[str, int]:
    now = utcnow()
    today = now.astimezone(local_zone()).date()
    counts = {
        "members": 0,
        "resources": 0,
        "shifts": 0,
        "drill_records": 0,
        "improvement_actions": 0,
    }

    people: list[PersonOnDuty] = []
    for group in organisation.list_groups(session=session):
        previous = None
        for title, dept in MEMBERS.get(GroupCode(group.code), []):
            member = organisation.create_member(
                MemberCreate(
                    group_id=group.id,
                    name=names.person(rng),
                    title=title,
                    department=dept,
                    office_phone=names.office_phone(rng),
                    mobile_phone=names.mobile(rng),
                ),
                session=session,
            )
            if previous is not None and previous.deputy_id is None:
                organisation.update_member(
                    previous.id, MemberUpdate(deputy_id=member.id), session=session
                )
            previous = member
            counts["members"] += 1
            if GroupCode(group.code) is GroupCode.WORKING:
                people.append(PersonOnDuty(member_id=member.id))

    for kind, name, location, qty, unit, contact in RESOURCES:
        checked = now - timedelta(days=rng.randint(3, 200))
        resources.create(
            ResourceCreate(
                kind=kind,
                name=name,
                location=location,
                quantity=qty,
                unit=unit,
                status=rng.choices([ResourceStatus.READY, ResourceStatus.DEGRADED], [9, 1])[0],
                contact_name=f"{contact} {names.person(rng)}",
                contact_phone=names.mobile(rng),
                last_checked_at=checked,
            ),
            session=session,
        )
        counts["resources"] += 1

    if people:
        shifts = roster.generate_rotation(
            people[:4], today - timedelta(days=7), 21, 12, session=session
        )
        counts["shifts"] = len(shifts)

    for plan in drills.list_plans(session=session):
        for years_ago in (1, 0):
            held = date(today.year - years_ago, rng.randint(3, 10), rng.randint(1, 28))
            if held >= today:
                continue
            findings = rng.sample(FINDINGS, k=2) if plan.kind is ExerciseKind.DRILL else []
            record = drills.create_record(
                RecordCreate(
                    plan_id=plan.id,
                    held_on=held,
                    participants=[names.person(rng) for _ in range(rng.randint(6, 15))],
                    duration_minutes=rng.choice([90, 120, 180]),
                    score=rng.randint(75, 96),
                    rating=rng.choice([Rating.GOOD, Rating.EXCELLENT, Rating.SATISFACTORY]),
                    evaluation="演练目标基本达成，响应流程顺畅，个别环节衔接有待加强。",
                    findings=findings,
                ),
                session=session,
            )
            counts["drill_records"] += 1
            if findings and years_ago == 0:
                drills.raise_improvement(
                    record.id,
                    0,
                    names.person(rng),
                    today + timedelta(days=rng.randint(-10, 60)),
                    session=session,
                )
                counts["improvement_actions"] += 1
    return counts

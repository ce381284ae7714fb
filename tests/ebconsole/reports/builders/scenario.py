"""A customer-fraud incident taken from intake to review through the real services, as a
branch's duty room would: reported, assessed twice (the second time with an override),
actions and notifications logged, stop-payment and freeze requested, an obligation met,
service restored, reviewed, and an improvement action raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from ebconsole.actor import Actor
from ebconsole.assessment import service as assessment
from ebconsole.assessment.schemas import AssessmentCreate, Criteria
from ebconsole.db.session import Database
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import SourceKind
from ebconsole.improvements.schemas import ActionCreate
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel, FraudChannel, Severity, Status
from ebconsole.incidents.schemas import (
    FraudReportInput,
    IncidentCreate,
    IncidentReview,
    ReporterInput,
    TimelineEntryCreate,
    TransactionInput,
)
from ebconsole.obligations import service as obligations
from ebconsole.resources import service as resources
from ebconsole.resources import usage
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.schemas import ResourceCreate, ResourceUseCreate
from ebconsole.timeutil import to_local, utcnow

# customer data that must never show unmasked in a report
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
ACCOUNT = "6222021234567890123"
COUNTERPARTY_ACCOUNT = "6217001234567890"
REPORTER_PHONE = "13901012345"
SECRETS = (ID_NUMBER, PHONE, ACCOUNT, COUNTERPARTY_ACCOUNT, REPORTER_PHONE)
# what they look like masked
MASKED = ("110***********002X", "138****5678", "6222 **** **** 0123", "6217 **** **** 7890")

TX_REFERENCE = "202611272031001"  # a bank serial number: printed as it is
TITLE = "客户遭冒充客服诈骗，手机银行转账被骗"
DESCRIPTION = (
    "客户刘秀英来电称，接到自称银行客服的电话，对方以账户异常需要验证为由，诱导其在手机银行"
    f"向“安全账户”转账两笔。客户称其卡号{ACCOUNT}，身份证号{ID_NUMBER}。"
)
CAUSE = "诈骗分子冒充银行客服实施电信诈骗，客户未识别来电身份，按对方指示操作转账。"
HANDLING = "值班人员在接报后 8 分钟内完成紧急止付申请，协助客户向公安机关报案，处置及时。"
LESSONS = "加强对老年客户的反诈宣传；大额转账增加二次确认；客服来电号码统一对外公示。"
ACTION_TITLE = "在手机银行大额转账页面增加反诈风险提示"
ACTION_OWNER = "周敏"
RESOURCE_NAME = "反诈骗专线备用坐席"
RESOURCE_NOTE = "启用备用坐席接听受害客户来电"


@dataclass(frozen=True)
class Scenario:
    reference: str
    action_due: str


def fraud_incident(db: Database, coordinator: Actor, admin: Actor | None = None) -> Scenario:
    """With `admin`, a reserve is added to the inventory and recorded as used."""
    now = utcnow()
    reported = now - timedelta(hours=6)
    with db.session(coordinator) as s:
        inc = incidents.create(
            IncidentCreate(
                title=TITLE,
                category=Category.CUSTOMER_FRAUD,
                subcategory="telecom_fraud",
                channel=Channel.CUSTOMER_FEEDBACK,
                occurred_at=reported - timedelta(minutes=50),
                reported_at=reported,
                reporter=ReporterInput(
                    name="张丽", department="北京分行营业部", phone=REPORTER_PHONE
                ),
                branch="北京分行营业部",
                description=DESCRIPTION,
                affected_services=["手机银行"],
                fraud=FraudReportInput(
                    customer_name="刘秀英",
                    id_number=ID_NUMBER,
                    phone=PHONE,
                    account_number=ACCOUNT,
                    channel=FraudChannel.MOBILE_BANKING,
                    transactions=[
                        TransactionInput(
                            time=reported - timedelta(minutes=35),
                            amount=Decimal("49800.00"),
                            counterparty_name="陈某",
                            counterparty_account=COUNTERPARTY_ACCOUNT,
                            counterparty_bank="某商业银行",
                            reference=TX_REFERENCE,
                        ),
                        TransactionInput(
                            time=reported - timedelta(minutes=30),
                            amount=Decimal("1200.50"),
                            counterparty_name="陈某",
                            counterparty_bank="某商业银行",
                        ),
                    ],
                    police_report_no="J2026112700123",
                ),
            ),
            session=s,
        )
        incident_id, reference = inc.id, inc.reference
    with db.session(coordinator) as s:
        assessment.assess(
            incident_id,
            AssessmentCreate(
                criteria=Criteria(customers_affected=1, funds_involved=Decimal("51000.50")),
                notify=["应急小组"],
            ),
            session=s,
        )
        incidents.request_stop_payment(incident_id, reported + timedelta(minutes=8), session=s)
    with db.session(coordinator) as s:
        assessment.assess(
            incident_id,
            AssessmentCreate(
                criteria=Criteria(customers_affected=1, funds_involved=Decimal("51000.50")),
                override_level=Severity.III,
                override_reason="涉及老年客户且资金已转出，提级处置",
                decision_note="启动应急响应，应急小组牵头处置",
            ),
            session=s,
        )
        incidents.advance(incident_id, Status.ACTIVATED, session=s, note="启动应急响应")
        incidents.record_action(
            incident_id,
            TimelineEntryCreate(text="已协助客户拨打110报警，取得报警回执"),
            session=s,
        )
        incidents.request_freeze(incident_id, session=s)
    if admin is not None:
        with db.session(admin) as s:
            seats = resources.create(
                ResourceCreate(
                    kind=ResourceKind.OTHER_CONTACT, name=RESOURCE_NAME, quantity=6, unit="席"
                ),
                session=s,
            )
        with db.session(coordinator) as s:
            usage.record_use(
                incident_id,
                ResourceUseCreate(resource_id=seats.id, quantity=2, note=RESOURCE_NOTE),
                session=s,
            )
    with db.session(coordinator) as s:
        incidents.advance(incident_id, Status.HANDLING, session=s)
        for row in obligations.list_obligations(session=s, incident_id=incident_id)[:1]:
            obligations.complete(row.id, session=s, note="已电话报告分管行领导")
        incidents.advance(incident_id, Status.RECOVERING, session=s)
        incidents.advance(incident_id, Status.RESTORED, session=s, note="客户账户已恢复正常使用")
    with db.session(coordinator) as s:
        incidents.review(
            incident_id,
            IncidentReview(cause=CAUSE, handling=HANDLING, lessons=LESSONS),
            session=s,
        )
        due = to_local(now).date() + timedelta(days=30)
        improvements.create(
            ActionCreate(
                title=ACTION_TITLE,
                description="页面提示：凡自称客服要求转账至“安全账户”的均为诈骗。",
                source_kind=SourceKind.INCIDENT_REVIEW,
                source_id=incident_id,
                source_ref=reference,
                owner_name=ACTION_OWNER,
                due_date=due,
            ),
            session=s,
        )
    return Scenario(reference=reference, action_due=due.isoformat())


OUTAGE_TITLE = "手机银行登录失败，核心数据库主节点宕机"


def running_outage(db: Database, coordinator: Actor) -> str:
    """A system failure still being handled: assessed grave (II), response activated."""
    reported = utcnow() - timedelta(hours=3)
    with db.session(coordinator) as s:
        inc = incidents.create(
            IncidentCreate(
                title=OUTAGE_TITLE,
                category=Category.SYSTEM_FAILURE,
                subcategory="database_crash",
                channel=Channel.SYSTEM_MONITORING,
                occurred_at=reported - timedelta(minutes=4),
                reported_at=reported,
                reporter=ReporterInput(name="李明", department="信息科技部"),
                branch="北京分行",
                description="监控平台告警：核心数据库主节点无响应，手机银行、网上银行登录失败。",
                affected_services=["手机银行", "网上银行"],
            ),
            session=s,
        )
        assessment.assess(
            inc.id,
            AssessmentCreate(
                criteria=Criteria(
                    outage_minutes=200, provinces_affected=1, customers_affected=300_000
                )
            ),
            session=s,
        )
        incidents.advance(inc.id, Status.ACTIVATED, session=s)
        incidents.advance(inc.id, Status.HANDLING, session=s)
        return inc.reference

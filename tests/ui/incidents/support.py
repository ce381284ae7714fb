"""Incidents for the 事件处置 tab's tests, recorded through the real services, and the
steps a person takes in the tab (click a row, press a button, wait for the answer)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QTableView

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel, FraudChannel
from ebconsole.incidents.schemas import (
    FraudReportInput,
    IncidentCreate,
    ReporterInput,
    TransactionInput,
)
from ebconsole.timeutil import utcnow
from ui.ops import Ops
from ui.tabs.incidents_tab import IncidentsTab


@dataclass(frozen=True)
class Sample:
    outage: uuid.UUID  # 北京, system failure, reported
    attack: uuid.UUID  # 北京, network attack, reported
    fraud: uuid.UUID  # 北京, customer fraud, stop-payment requested 2 hours ago
    fraud_no_stop: uuid.UUID  # 北京, customer fraud, nothing requested yet
    shanghai: uuid.UUID  # 上海, system failure (a Beijing clerk does not see it)


def record_sample(db: Database, actor: Actor) -> Sample:
    now = utcnow()

    def at(hours: float) -> datetime:
        return now - timedelta(hours=hours)

    def one(data: IncidentCreate) -> uuid.UUID:
        with db.session(actor) as s:
            return incidents.create(data, session=s).id

    outage = one(
        IncidentCreate(
            title="核心系统数据库主备切换失败",
            category=Category.SYSTEM_FAILURE,
            subcategory="database_crash",
            channel=Channel.SYSTEM_MONITORING,
            occurred_at=at(5.5),
            reported_at=at(5),
            reporter=ReporterInput(name="李明", department="电子银行部", phone="13911112222"),
            branch="北京分行营业部",
            description="监控告警：核心账务数据库主库宕机，备库未能自动接管，网银交易失败。",
            affected_services=["网上银行", "手机银行"],
        )
    )
    attack = one(
        IncidentCreate(
            title="网银遭受DDoS攻击，响应缓慢",
            category=Category.NETWORK_ATTACK,
            subcategory="ddos",
            channel=Channel.SYSTEM_MONITORING,
            reported_at=at(4),
            reporter=ReporterInput(name="陈静", department="科技部"),
            branch="北京分行营业部",
            description="流量清洗设备告警，入口流量超过 20Gbps。",
        )
    )
    fraud = one(
        IncidentCreate(
            title="客户反映手机银行账户被盗刷三笔",
            category=Category.CUSTOMER_FRAUD,
            subcategory="account_theft",
            occurred_at=at(3.5),
            reported_at=at(3),
            reporter=ReporterInput(name="张丽", department="北京分行营业部", phone="010-66012345"),
            branch="北京分行营业部",
            description="客户王秀英来电称手机银行发生三笔非本人转账，要求立即止付。",
            fraud=FraudReportInput(
                customer_name="王秀英",
                id_number="110105198503150027",
                phone="13812345678",
                account_number="6222021234567890123",
                channel=FraudChannel.MOBILE_BANKING,
                police_report_no="京公朝立字〔2026〕1234号",
                stop_payment_requested_at=at(2),
                transactions=[
                    TransactionInput(
                        time=at(3.4),
                        amount=Decimal("4999.00"),
                        counterparty_name="李强",
                        counterparty_account="6217000010012345678",
                        counterparty_bank="中国建设银行",
                        reference="TX202611280912001",
                    ),
                    TransactionInput(
                        time=at(3.3),
                        amount=Decimal("20000"),
                        counterparty_name="刘伟",
                        counterparty_account="6228480012345678901",
                        counterparty_bank="中国农业银行",
                        reference="TX202611280915002",
                    ),
                ],
            ),
        )
    )
    fraud_no_stop = one(
        IncidentCreate(
            title="客户接到冒充公检法电话后转账",
            category=Category.CUSTOMER_FRAUD,
            subcategory="telecom_fraud",
            reported_at=at(1),
            reporter=ReporterInput(name="张丽", department="北京分行营业部"),
            branch="北京分行营业部",
            fraud=FraudReportInput(
                customer_name="赵建华",
                phone="13700001111",
                account_number="6222029876543210987",
                channel=FraudChannel.PHONE_BANKING,
                transactions=[
                    TransactionInput(time=at(1.5), amount=Decimal("58000"), reference="TX1")
                ],
            ),
        )
    )
    shanghai = one(
        IncidentCreate(
            title="上海分行机房停电，网点终端中断",
            category=Category.SYSTEM_FAILURE,
            subcategory="hardware_failure",
            channel=Channel.EMPLOYEE_REPORT,
            reported_at=at(2),
            reporter=ReporterInput(name="赵强", department="上海分行营业部"),
            branch="上海分行营业部",
        )
    )
    return Sample(outage, attack, fraud, fraud_no_stop, shanghai)


# -- driving the tab ------------------------------------------------------------------------
def wait_idle(qtbot, ops: Ops, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: not ops.active, timeout=timeout)


def relay(tab: IncidentsTab) -> IncidentsTab:
    """As the main window does: a successful write's Changes reach the tab."""
    tab.ctx.ops.changed.connect(tab.refresh)
    return tab


def click_row(qtbot, table: QTableView, row: int) -> None:
    index = table.model().index(row, 0)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_header(qtbot, table: QTableView, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_incident(qtbot, tab: IncidentsTab, incident_id: uuid.UUID) -> None:
    """Click the incident's row (it must be listed) and wait for its detail."""
    row = tab.model.row_of(incident_id)
    assert row >= 0, "the incident is not in the table"
    click_row(qtbot, tab.table, row)
    wait_idle(qtbot, tab.ctx.ops)
    qtbot.waitUntil(lambda: tab.detail.detail is not None and tab.detail.detail.id == incident_id)

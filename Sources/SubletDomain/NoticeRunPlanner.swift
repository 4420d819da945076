/// What `notices run` is asked to do.
public struct NoticeRunRequest: Sendable, Equatable {
    public var period: BillingPeriod
    public var issueDate: CalendarDate
    public var minimumDays: Int
    public var basis: ProrationBasis
    public var ocrLengthDigit: Bool
    public var dryRun: Bool

    public init(period: BillingPeriod, issueDate: CalendarDate, minimumDays: Int, basis: ProrationBasis, ocrLengthDigit: Bool, dryRun: Bool) {
        self.period = period
        self.issueDate = issueDate
        self.minimumDays = minimumDays
        self.basis = basis
        self.ocrLengthDigit = ocrLengthDigit
        self.dryRun = dryRun
    }

    /// The due date of the month's regular notices (docs/rules.md §2, `DueDateRule`).
    public var dueDate: CalendarDate { DueDateRule.regularNotice(for: period, issuedOn: issueDate, minimumDays: minimumDays) }

    /// The request, or an error when its month lies before the bank calendar's first year (due
    /// dates there would follow a holiday law Sublet does not implement).
    public func validated() throws(NoticeRunRefused) -> NoticeRunRequest {
        guard period.year >= SwedishBankCalendar.firstYear else {
            throw NoticeRunRefused(
                description: "\(period) is before \(SwedishBankCalendar.firstYear): Sublet's bank calendar, which sets the due dates, starts there")
        }
        return self
    }
}

/// A monthly run that cannot be made as asked.
public struct NoticeRunRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// What `notices run` did (or, in a dry run, would do).
public struct NoticeRunReport: Sendable, Equatable {
    public var period: BillingPeriod
    public var issued: Int
    public var alreadyIssued: Int
    /// The amount issued by this run.
    public var total: Money
    public var dueDate: CalendarDate
    public var dryRun: Bool
    public var firstNumber: String?
    public var lastNumber: String?
    /// Correction lines put on notices, and standalone correction notices among `issued`.
    public var correctionLines = 0
    public var correctionNotices = 0
    /// Regular notices of earlier, closed months for contracts registered after those months
    /// were run (among `issued`).
    public var catchUpNotices = 0
    /// Refunds recorded (credits larger than a notice, or corrections of ended contracts).
    public var refunds = 0
    public var refundTotal = Money.zero

    public init(period: BillingPeriod, issued: Int, alreadyIssued: Int, total: Money, dueDate: CalendarDate, dryRun: Bool) {
        self.period = period
        self.issued = issued
        self.alreadyIssued = alreadyIssued
        self.total = total
        self.dueDate = dueDate
        self.dryRun = dryRun
    }
}

/// A correction month not yet billed, with the key of its correction (for the settlement).
public struct PendingMonth: Sendable, Equatable {
    public var correctionID: Int64
    public var item: PendingCorrection
    public init(correctionID: Int64, item: PendingCorrection) {
        self.correctionID = correctionID
        self.item = item
    }
}

/// A notice the run issues: its row id (from which its OCR reference comes), its contract's key,
/// and the notice itself.
public struct NoticeDraft: Sendable, Equatable {
    public var id: Int64
    public var contractID: Int64
    public var notice: Notice
}

/// Money the run records as owed back to a tenant.
public struct RefundDraft: Sendable, Equatable {
    public var number: String
    public var contractID: Int64
    public var amount: Money
    /// The notice whose credit exceeded its total, when the refund is its remainder.
    public var noticeID: Int64?
    public var text: String

    public init(number: String, contractID: Int64, amount: Money, noticeID: Int64?, text: String) {
        self.number = number
        self.contractID = contractID
        self.amount = amount
        self.noticeID = noticeID
        self.text = text
    }
}

/// Where a pending correction month was billed: on a notice, or paid back by a refund.
public struct CorrectionSettlement: Sendable, Equatable {
    public var correctionID: Int64
    public var period: BillingPeriod
    public var noticeID: Int64?
    public var refundNumber: String?

    public init(correctionID: Int64, period: BillingPeriod, noticeID: Int64?, refundNumber: String?) {
        self.correctionID = correctionID
        self.period = period
        self.noticeID = noticeID
        self.refundNumber = refundNumber
    }
}

/// What the run writes for one contract.
public struct NoticeRunPlan: Sendable, Equatable {
    public var notices: [NoticeDraft] = []
    public var refunds: [RefundDraft] = []
    public var settlements: [CorrectionSettlement] = []
    public init() {}
}

/// An amount beyond what Sublet can hold on one contract's notice (stored terms from before the
/// bounds): the run stops and issues nothing.
public struct NoticeRunError: Error, Sendable, Equatable, CustomStringConvertible {
    public let contract: String
    public let period: BillingPeriod
    public init(contract: String, period: BillingPeriod) {
        self.contract = contract
        self.period = period
    }
    public var description: String {
        "contract \(contract), \(period): \(MoneyOverflow()); nothing was issued. Correct the contract's amounts with `sublet contract change` and run again."
    }
}

/// The monthly run's decisions, contract by contract (docs/rules.md §2, §3, §6): which notices, with
/// which lines, numbers, OCR references and due dates; where pending corrections are settled;
/// which refunds are owed. Pure: storage reads the contracts, hands them here, and writes what
/// comes back, in one transaction.
public struct NoticeRunPlanner: Sendable {
    public let request: NoticeRunRequest
    public private(set) var report: NoticeRunReport
    public private(set) var notices: DocumentNumbering
    public private(set) var refunds: DocumentNumbering
    private var nextNoticeID: Int64

    /// `lastNoticeID`: the highest notice row id so far; `alreadyIssued`: regular notices of the
    /// period issued before; `notices`/`refunds`: the issue year's series as stored.
    public init(request: NoticeRunRequest, alreadyIssued: Int, lastNoticeID: Int64, notices: DocumentNumbering, refunds: DocumentNumbering) {
        self.request = request
        self.notices = notices
        self.refunds = refunds
        nextNoticeID = lastNoticeID + 1
        report = NoticeRunReport(
            period: request.period, issued: 0, alreadyIssued: alreadyIssued, total: .zero,
            dueDate: request.dueDate, dryRun: request.dryRun)
    }

    /// The series a run issued in `year` numbers its notices and refunds from.
    public static func series(issuedIn year: Int) -> (notices: NumberSeries, refunds: NumberSeries) {
        (.notices(year), .refunds(year))
    }

    /// The month's regular notice for a contract active in it, with the contract's pending
    /// corrections as lines; a credit larger than the notice leaves it at zero and becomes a
    /// refund. An empty plan when the contract is not active in the month.
    public mutating func regular(
        contractID: Int64, contract: String, terms: ContractTerms, pending: [PendingMonth]
    ) throws(NoticeRunError) -> NoticeRunPlan {
        var plan = NoticeRunPlan()
        let period = request.period
        let planned = try checked(contract, period) { () throws(MoneyOverflow) in
            try NoticePlanner.regularLines(for: terms, period: period, basis: request.basis).map { regular throws(MoneyOverflow) in
                try CorrectionBilling.regularNotice(regular: regular, pending: pending.map(\.item))
            }
        }
        guard let (lines, refund) = planned else { return plan }
        let notice = try issue(.regular, contractID: contractID, contract: contract, period: period, lines: lines, dueDate: report.dueDate)
        plan.notices.append(notice)
        plan.settlements = pending.map {
            CorrectionSettlement(correctionID: $0.correctionID, period: $0.item.period, noticeID: notice.id, refundNumber: nil)
        }
        if refund != .zero {
            plan.refunds.append(
                try owe(refund, contractID: contractID, contract: contract, noticeID: notice.id, text: "Kredit över avi \(notice.notice.number)"))
        }
        return plan
    }

    /// The regular notice of a closed `month` that a late-registered contract missed, due the
    /// first bank day at least `notice.min_days` after today; no correction lines, no fee.
    public mutating func catchUp(
        contractID: Int64, contract: String, terms: ContractTerms, month: BillingPeriod
    ) throws(NoticeRunError) -> NoticeRunPlan {
        var plan = NoticeRunPlan()
        let lines = try checked(contract, month) { () throws(MoneyOverflow) in
            try NoticePlanner.regularLines(for: terms, period: month, basis: request.basis)
        }
        guard let lines else { return plan }
        let due = DueDateRule.regularNotice(for: month, issuedOn: request.issueDate, minimumDays: request.minimumDays)
        plan.notices.append(try issue(.regular, contractID: contractID, contract: contract, period: month, lines: lines, dueDate: due))
        report.catchUpNotices += 1
        return plan
    }

    /// An ended contract's pending corrections: a correction notice for a debit (due 30 days on),
    /// a refund for a credit, nothing when they cancel out.
    public mutating func ended(contractID: Int64, contract: String, pending: [PendingMonth]) throws(NoticeRunError) -> NoticeRunPlan {
        var plan = NoticeRunPlan()
        switch try checked(contract, request.period, { () throws(MoneyOverflow) in try CorrectionBilling.standalone(pending.map(\.item)) }) {
        case .notice(let lines):
            let due = DueDateRule.correctionNotice(issuedOn: request.issueDate)
            let notice = try issue(.correction, contractID: contractID, contract: contract, period: request.period, lines: lines, dueDate: due)
            plan.notices.append(notice)
            plan.settlements = pending.map {
                CorrectionSettlement(correctionID: $0.correctionID, period: $0.item.period, noticeID: notice.id, refundNumber: nil)
            }
        case .refund(let amount):
            let text = "Retroaktiv justering " + Set(pending.map(\.item.correction)).sorted().joined(separator: ", ")
            let refund = try owe(amount, contractID: contractID, contract: contract, noticeID: nil, text: text)
            plan.refunds.append(refund)
            plan.settlements = pending.map {
                CorrectionSettlement(correctionID: $0.correctionID, period: $0.item.period, noticeID: nil, refundNumber: refund.number)
            }
        case .nothing:
            // Corrections of the same months that cancel out: nothing to send, nothing owed.
            break
        }
        return plan
    }

    /// The closed months a contract missed: those before its first notice (or all, without one)
    /// that no correction has billed. Only months before the first notice can be missed: from
    /// then on every run notices the contract.
    public static func missedMonths(closed: [BillingPeriod], firstNoticed: BillingPeriod?, corrected: Set<BillingPeriod>) -> [BillingPeriod] {
        closed.filter { month in (firstNoticed.map { month < $0 } ?? true) && !corrected.contains(month) }
    }

    private mutating func issue(
        _ kind: Notice.Kind, contractID: Int64, contract: String, period: BillingPeriod, lines: [NoticeLine],
        dueDate: CalendarDate
    ) throws(NoticeRunError) -> NoticeDraft {
        let total = try checked(contract, period) { () throws(MoneyOverflow) in try lines.map(\.amount).sum() }
        let runningTotal = try checked(contract, period) { () throws(MoneyOverflow) in try report.total + total }
        let id = nextNoticeID
        nextNoticeID += 1
        let number = notices.next()
        let notice = Notice(
            number: number, contractNumber: contract, period: period, kind: kind, issueDate: request.issueDate, dueDate: dueDate,
            ocr: OCRReference.forNotice(id: id, lengthDigit: request.ocrLengthDigit), total: total, lines: lines)
        report.issued += 1
        report.total = runningTotal
        if kind == .correction { report.correctionNotices += 1 }
        report.correctionLines += lines.filter { $0.correctsPeriod != nil }.count
        if report.firstNumber == nil { report.firstNumber = number }
        report.lastNumber = number
        return NoticeDraft(id: id, contractID: contractID, notice: notice)
    }

    private mutating func owe(
        _ amount: Money, contractID: Int64, contract: String, noticeID: Int64?, text: String
    ) throws(NoticeRunError) -> RefundDraft {
        let total = try checked(contract, request.period) { () throws(MoneyOverflow) in try report.refundTotal + amount }
        report.refunds += 1
        report.refundTotal = total
        return RefundDraft(number: refunds.next(), contractID: contractID, amount: amount, noticeID: noticeID, text: text)
    }

    private func checked<T>(_ contract: String, _ period: BillingPeriod, _ body: () throws(MoneyOverflow) -> T) throws(NoticeRunError) -> T {
        do { return try body() } catch { throw NoticeRunError(contract: contract, period: period) }
    }
}

import SubletApp
import SubletDomain
import SubletStorage

extension JSONShape {
    struct TermStepJSON: Encodable {
        var component: String
        var validFrom: String
        @NullWhenAbsent var amount: String?
        var vatRate: Int

        init(component: String, validFrom: String, amount: String?, vatRate: Int) {
            self.component = component
            self.validFrom = validFrom
            self.amount = amount
            self.vatRate = vatRate
        }

        enum CodingKeys: String, CodingKey {
            case component
            case validFrom = "valid_from"
            case amount
            case vatRate = "vat_rate"
        }
    }

    struct ChargeJSON: Encodable {
        var label: String
        var amount: String
        var vatRate: Int
        enum CodingKeys: String, CodingKey {
            case label, amount
            case vatRate = "vat_rate"
        }
    }

    struct ContractJSON: Encodable {
        var number: String
        var district: String
        var tenantName: String
        var personalNumber: String
        var address: String
        @NullWhenAbsent var objectID: String?
        var startDate: String
        @NullWhenAbsent var endDate: String?
        /// Rent and charges in force on `termsOn`.
        var termsOn: String
        @NullWhenAbsent var rent: String?
        var charges: [ChargeJSON]
        var terms: [TermStepJSON]
        var origin: String
        var registeredOn: String

        /// `unmasked`: only the administrator's `contract show` shows the whole personal number.
        init(_ contract: Contract, on date: CalendarDate, unmasked: Bool = false) {
            number = contract.number
            district = contract.district
            tenantName = contract.tenantName
            personalNumber = unmasked ? contract.personalNumber.formatted : contract.personalNumber.masked
            address = contract.address
            objectID = contract.objectID
            startDate = contract.terms.start.description
            endDate = contract.terms.end?.description
            let day = max(date, contract.terms.start)
            termsOn = day.description
            rent = contract.terms.step(of: ContractTerms.rent, on: day)?.amount?.plain
            charges = contract.terms.componentNames.dropFirst().compactMap { label in
                contract.terms.step(of: label, on: day).map { ChargeJSON(label: label, amount: $0.amount!.plain, vatRate: $0.vatRate) }
            }
            terms = contract.terms.steps.sorted { ($0.validFrom, $0.component) < ($1.validFrom, $1.component) }.map {
                TermStepJSON(component: $0.component, validFrom: $0.validFrom.description, amount: $0.amount?.plain, vatRate: $0.vatRate)
            }
            origin = contract.origin.rawValue
            registeredOn = contract.registeredOn.description
        }

        enum CodingKeys: String, CodingKey {
            case number, district
            case tenantName = "tenant_name"
            case personalNumber = "personal_number"
            case address
            case objectID = "object_id"
            case startDate = "start_date"
            case endDate = "end_date"
            case termsOn = "terms_on"
            case rent, charges, terms, origin
            case registeredOn = "registered_on"
        }
    }

    struct NoticeRunJSON: Encodable {
        var period: String
        var issued: Int
        var alreadyIssued: Int
        var total: String
        var dueDate: String
        var dryRun: Bool
        var correctionLines: Int
        var correctionNotices: Int
        var catchUpNotices: Int
        var refunds: Int
        var refundTotal: String

        init(_ report: NoticeRunReport) {
            period = report.period.description
            issued = report.issued
            alreadyIssued = report.alreadyIssued
            total = report.total.plain
            dueDate = report.dueDate.description
            dryRun = report.dryRun
            correctionLines = report.correctionLines
            correctionNotices = report.correctionNotices
            catchUpNotices = report.catchUpNotices
            refunds = report.refunds
            refundTotal = report.refundTotal.plain
        }

        enum CodingKeys: String, CodingKey {
            case period, issued
            case alreadyIssued = "already_issued"
            case total
            case dueDate = "due_date"
            case dryRun = "dry_run"
            case correctionLines = "correction_lines"
            case correctionNotices = "correction_notices"
            case catchUpNotices = "catch_up_notices"
            case refunds
            case refundTotal = "refund_total"
        }
    }
}

extension JSONShape {
    /// `correction{number, contract, affected_notices, months[{period, billed, correct, difference}], total, fee}`.
    struct CorrectionJSON: Encodable {
        @NullWhenAbsent var number: String?
        var contract: String
        var district: String
        var change: String
        var recordedOn: String
        var affectedNotices: Int
        var months: [MonthJSON]
        var total: String
        @NullWhenAbsent var minutes: Int?
        @NullWhenAbsent var fee: FeeJSON?

        init(_ correction: Correction) {
            number = correction.number
            contract = correction.contract
            district = correction.district
            change = correction.change
            recordedOn = correction.recordedOn.description
            affectedNotices = correction.affectedNotices
            months = correction.months.map {
                MonthJSON(
                    period: $0.period.description, notice: $0.notice, billed: $0.billed.plain, correct: $0.correct.plain,
                    difference: $0.difference.plain)
            }
            total = correction.total.plain
            minutes = correction.minutes
            fee = correction.fee.map {
                FeeJSON(
                    amount: $0.amount.plain, model: $0.model.rawValue, minutes: $0.minutes, billingPeriod: $0.billingPeriod.description,
                    waived: $0.waived, reason: $0.waiverReason)
            }
        }

        enum CodingKeys: String, CodingKey {
            case number, contract, district, change
            case recordedOn = "recorded_on"
            case affectedNotices = "affected_notices"
            case months, total, minutes, fee
        }
    }

    struct MonthJSON: Encodable {
        var period: String
        @NullWhenAbsent var notice: String?
        var billed: String
        var correct: String
        var difference: String

        enum CodingKeys: String, CodingKey { case period, notice, billed, correct, difference }
    }

    struct FeeJSON: Encodable {
        var amount: String
        var model: String
        @NullWhenAbsent var minutes: Int?
        var billingPeriod: String
        var waived: Bool
        @NullWhenAbsent var reason: String?

        enum CodingKeys: String, CodingKey {
            case amount, model, minutes
            case billingPeriod = "billing_period"
            case waived, reason
        }
    }
}

import SubletApp
import SubletDomain

/// A correction as text for people.
enum CorrectionText {
    static func render(_ correction: Correction, priceList: CorrectionPriceList, _ out: Output) {
        out.line(
            "Retroactive correction \(correction.number ?? "(not recorded)") for \(correction.contract): "
                + "\(correction.months.count) month(s), \(correction.affectedNotices) notice(s) back in time")
        out.table(
            ["PERIOD", "NOTICE", "BILLED", "CORRECT", "DIFFERENCE"],
            correction.months.map { [$0.period.description, $0.notice ?? "—", $0.billed.swedish, $0.correct.swedish, signed($0.difference)] },
            numeric: [2, 3, 4])
        let total = correction.total
        out.line(
            "Total \(signed(total)) kr: \(total.isNegative ? "credited" : "billed") on the contract's next notice "
                + "(an ended contract gets a correction notice or a refund).")
        if let fee = correction.fee {
            if let reason = fee.waiverReason {
                out.line("Fee to \(correction.district) waived: \(reason)")
            } else {
                let how = fee.model == .time ? "time, \(fee.minutes ?? 0) min" : "fixed"
                out.line("Fee to \(correction.district): \(fee.amount.swedish) kr (\(how)), billed in \(fee.billingPeriod).")
            }
        } else {
            out.line("No fee: \(correction.affectedNotices) notice(s) affected; the price list bills from \(priceList.minimumNotices).")
        }
    }

    static func signed(_ amount: Money) -> String { (amount.isNegative ? "" : "+") + amount.swedish }
}

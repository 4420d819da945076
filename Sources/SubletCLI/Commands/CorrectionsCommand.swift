import ArgumentParser
import Foundation
import SubletDomain
import SubletJobs
import SubletStorage

struct CorrectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corrections",
        abstract: "Retroactive corrections recorded by changes that reached into noticed months.",
        subcommands: [List.self, Show.self]
    )

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List corrections.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this contract's corrections.") var contract: String?
        @Option(help: ArgumentHelp("Only corrections recorded in this month.", valueName: "YYYY-MM")) var period: String?

        func execute(_ environment: CommandEnvironment) throws {
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } }
            let corrections = try environment.openDatabase(readOnly: true).corrections(contractNumber: contract, recordedIn: month)
            if environment.json { try Output.json(corrections.map(JSONShape.CorrectionJSON.init)); return }
            Output.table(["NUMBER", "CONTRACT", "RECORDED", "MONTHS", "NOTICES", "TOTAL", "FEE", "CHANGE"], corrections.map { correction in
                let fee = correction.fee.map { $0.waived ? "waived" : $0.amount.swedish } ?? "—"
                return [correction.number ?? "", correction.contract, correction.recordedOn.description, String(correction.months.count),
                        String(correction.affectedNotices), CorrectionText.signed(correction.total), fee, correction.change]
            }, numeric: [3, 4, 5, 6])
        }
    }

    struct Show: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "Show one correction, month by month.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Correction number, e.g. K-2026-000001.") var number: String

        func execute(_ environment: CommandEnvironment) throws {
            let correction = try environment.openDatabase(readOnly: true).correction(number: number)
            if environment.json { try Output.json(JSONShape.CorrectionJSON(correction)); return }
            Output.line("Change: \(correction.change) (recorded \(correction.recordedOn))")
            CorrectionText.print(correction, priceList: environment.configuration.correctionPriceList)
        }
    }
}

struct RefundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refunds",
        abstract: "Money owed back to tenants by corrections.",
        subcommands: [List.self]
    )

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List refunds (amounts owed to the tenant, as positive numbers).")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this contract's refunds.") var contract: String?
        @Option(help: ArgumentHelp("Only refunds recorded by the run for this month.", valueName: "YYYY-MM")) var period: String?

        func execute(_ environment: CommandEnvironment) throws {
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } }
            let refunds = try environment.openDatabase(readOnly: true).refunds(contractNumber: contract, period: month)
            if environment.json {
                try Output.json(refunds.map {
                    RefundJSON(number: $0.number, contract: $0.contract, amount: $0.amount.plain, period: $0.period.description,
                               createdOn: $0.createdOn.description, notice: $0.notice, text: $0.text)
                })
                return
            }
            Output.table(["NUMBER", "CONTRACT", "PERIOD", "DATE", "AMOUNT", "NOTICE", "TEXT"], refunds.map {
                [$0.number, $0.contract, $0.period.description, $0.createdOn.description, $0.amount.swedish, $0.notice ?? "—", $0.text]
            }, numeric: [4])
        }

        struct RefundJSON: Encodable {
            var number, contract, amount, period, createdOn: String
            @NullWhenAbsent var notice: String?
            var text: String
            enum CodingKeys: String, CodingKey { case number, contract, amount, period, createdOn = "created_on", notice, text }
        }
    }
}

struct FeesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fees",
        abstract: "The districts' fees for retroactive corrections (the price list).",
        subcommands: [List.self]
    )

    struct List: SubletSubcommand {
        static let configuration = CommandConfiguration(abstract: "List fees, waived ones with their reason.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only fees of this billing month.", valueName: "YYYY-MM")) var period: String?
        @Option(help: "Only this district's fees.") var district: String?

        func execute(_ environment: CommandEnvironment) throws {
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } }
            let code = try district.map { text in try parseOption("--district", text) { try ContractDraft.validateDistrictCode($0) } }
            let fees = try environment.openDatabase(readOnly: true).fees(period: month, district: code)
            if environment.json {
                try Output.json(fees.map {
                    FeeJSON(correction: $0.correction, contract: $0.contract, district: $0.district, billingPeriod: $0.billingPeriod.description,
                            recordedOn: $0.recordedOn.description, amount: $0.amount.plain, model: $0.model.rawValue, minutes: $0.minutes,
                            affectedNotices: $0.affectedNotices, waived: $0.waiverReason != nil, reason: $0.waiverReason)
                })
                return
            }
            Output.table(["PERIOD", "DISTRICT", "CORRECTION", "CONTRACT", "RECORDED", "NOTICES", "AMOUNT", "STATUS"], fees.map {
                [$0.billingPeriod.description, $0.district, $0.correction, $0.contract, $0.recordedOn.description, String($0.affectedNotices),
                 $0.amount.swedish, $0.waiverReason.map { "waived: \($0)" } ?? ($0.model == .time ? "billed (\($0.minutes ?? 0) min)" : "billed")]
            }, numeric: [5, 6])
        }

        struct FeeJSON: Encodable {
            var correction, contract, district, billingPeriod, recordedOn, amount, model: String
            @NullWhenAbsent var minutes: Int?
            var affectedNotices: Int
            var waived: Bool
            @NullWhenAbsent var reason: String?
            enum CodingKeys: String, CodingKey {
                case correction, contract, district, billingPeriod = "billing_period", recordedOn = "recorded_on", amount, model, minutes
                case affectedNotices = "affected_notices", waived, reason
            }
        }
    }
}

struct BillingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing",
        abstract: "The internal invoice basis for the city's finance system.",
        subcommands: [Export.self]
    )

    struct Export: SubletSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a month's fees as the finance system's CSV (default: last month, into paths.outbox/billing/).",
            discussion: "One row per billed fee and a total row per district; Swedish spreadsheet dialect (';', decimal comma, UTF-8 with BOM). Waived fees are left out. The same month always gives the same file."
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The billing month (default: last month).", valueName: "YYYY-MM")) var period: String?
        @Option(help: ArgumentHelp("The file (default: paths.outbox/billing/billing-YYYY-MM.csv).", valueName: "file")) var out: String?

        func execute(_ environment: CommandEnvironment) throws {
            let month = try period.map { text in try parseOption("--period", text) { try BillingPeriod.parse($0) } } ?? environment.today.period.previous
            let path = out ?? BillingExport.defaultPath(environment.configuration, period: month)
            let database = try environment.openDatabase(readOnly: true)
            let billed = try BillingExport.write(period: month, from: database, to: path)
            let total = try billed.map(\.amount).sum()
            if environment.json {
                try Output.json(BillingJSON(period: month.description, file: path, fees: billed.count, total: total.plain))
            } else {
                Output.line("Wrote \(billed.count) fee(s) for \(month), total \(total.swedish) kr, to \(path).")
            }
        }

        struct BillingJSON: Encodable {
            var period, file: String
            var fees: Int
            var total: String
        }
    }
}

struct StatsCommand: SubletSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The operational plan's indicators per district and in total.",
        discussion: "Administered contracts (contract-months noticed), new contracts set up, notices issued, corrections, billable corrections, waived fees, fee revenue. Default range: this year."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("A calendar year.", valueName: "YYYY")) var year: String?
    @Option(help: ArgumentHelp("A tertial: YYYY-T1 (Jan–Apr), T2 (May–Aug) or T3 (Sep–Dec).", valueName: "YYYY-Tn")) var tertial: String?
    @Option(help: ArgumentHelp("One month.", valueName: "YYYY-MM")) var period: String?
    @Option(help: "Only this district.") var district: String?
    @Option(help: "table, csv, json or html (html needs --out).") var format: Format?
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

    func validate() throws {
        guard [year, tertial, period].compactMap({ $0 }).count <= 1 else { throw ValidationError("give at most one of --year, --tertial or --period") }
        if format == .html, out == nil { throw ValidationError("--format html needs --out FILE") }
    }

    func execute(_ environment: CommandEnvironment) throws {
        let range: ReportingRange
        if let year {
            range = try parseOption("--year", year) { text in
                guard text.count == 4, let value = Int(text), let range = ReportingRange.year(value) else { throw FieldError("\(Quote.excerpt(text)) is not a year") }
                return range
            }
        } else if let tertial {
            range = try parseOption("--tertial", tertial) { text in
                let parsed = try ReportingRange.parse(text)
                guard parsed.description.contains("-T") else { throw FieldError("\(Quote.excerpt(text)) is not a tertial (YYYY-T1, T2 or T3)") }
                return parsed
            }
        } else if let period {
            range = .month(try parseOption("--period", period) { try BillingPeriod.parse($0) })
        } else {
            range = ReportingRange.year(environment.today.year)!
        }
        let code = try district.map { text in try parseOption("--district", text) { try ContractDraft.validateDistrictCode($0) } }
        let report = IndicatorReport(try environment.openDatabase(readOnly: true).indicators(range: range, district: code))
        let chosen = format ?? (environment.json ? .json : .table)
        let output: Data
        switch chosen {
        case .table:
            let (header, rows) = try report.table()
            guard out != nil else {
                Output.line("Indicators \(range) (\(range.first)–\(range.last))")
                Output.table(header, rows, numeric: Set(2..<header.count))
                return
            }
            output = Data((([header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n").utf8)
        case .csv: output = try report.csv()
        case .json: output = Data((try report.json() + "\n").utf8)
        case .html: output = Data(try report.html(templatesDirectory: environment.configuration.templatesDirectory).utf8)
        }
        if let out {
            try FileOutput.createFolder(URL(fileURLWithPath: out).deletingLastPathComponent().path)
            try FileOutput.write(output, to: out)
            if !environment.json { Output.line("Wrote the indicators for \(range) to \(out).") }
        } else {
            FileHandle.standardOutput.write(output)
        }
    }
}

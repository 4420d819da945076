import Foundation
import Hummingbird
import SubletApp
import SubletDomain
import SubletStorage

/// A district's other pages: the correction fees billed to it (and waived), the plan's
/// indicators per tertial, and the forfeiture watch with its late rents. Each asks
/// `PortalRoutes.authorised` first and reads only the district's own rows.
extension PortalRoutes {
    static func addDistrictPages(_ router: Router<PortalContext>, _ state: PortalState) {
        router.get("/sdf/:district/avgifter") { request, context in
            let (account, session, district) = try await authorised(state, request, context)
            let fees = try state.app.database.fees(district: district.code)
            let months = Dictionary(grouping: fees, by: \.billingPeriod).sorted { $0.key > $1.key }.map { period, fees -> [String: Any] in
                let billed = fees.filter { $0.waiverReason == nil }
                return [
                    "month": period.description, "billed": billed.count, "waived": fees.count - billed.count,
                    "total": Money(ore: billed.reduce(0) { $0 + $1.amount.ore }).swedish,
                    "fees": fees.map { fee -> [String: Any] in
                        [
                            "correction": fee.correction, "contract": fee.contract, "recordedOn": fee.recordedOn.description,
                            "notices": fee.affectedNotices, "amount": fee.amount.swedish,
                            "change": TermChange(description: fee.change)?.swedish ?? fee.change,
                            "state": fee.waiverReason.map { "Efterskänkt: \($0)" } ?? "Debiterad",
                        ]
                    },
                ]
            }
            return page(
                state.pages, "fees",
                ["title": "Avgifter \(district.code)", "account": frame(account, session), "district": district.code, "months": months])
        }
        router.get("/sdf/:district/indikatorer") { request, context in
            let (account, session, district) = try await authorised(state, request, context)
            let asked = request.uri.queryParameters["tertial"].map(String.init)
            let range: ReportingRange
            do {
                range = try asked.map { try ReportingRange.parse($0) } ?? .tertial(containing: state.app.clock.thisMonth)
            } catch {
                throw HTTPError(.notFound, message: "Ange en tertial som 2026-T1, 2026-T2 eller 2026-T3.")
            }
            guard range.description.contains("-T") else { throw HTTPError(.notFound, message: "Ange en tertial som 2026-T1, 2026-T2 eller 2026-T3.") }
            let report = try state.app.indicators(over: range, district: district.code)
            let table = try report.swedishTable()
            let year = range.first.year
            let tertials = (year - 1...year).flatMap { y in (1...3).map { "\(y)-T\($0)" } }
            return page(
                state.pages, "indicators",
                [
                    "title": "Indikatorer \(district.code) \(range.description)", "account": frame(account, session), "district": district.code,
                    "range": range.description, "header": table.header.dropFirst(2).map { ["title": $0] },
                    "rows": table.rows.filter { $0.first == district.code }.map { ["cells": $0.dropFirst(2).map { ["value": $0] }] },
                    "charts": try report.charts().map { ["svg": $0] },
                    "tertials": tertials.map { ["name": $0, "current": $0 == range.description] },
                ])
        }
        router.get("/sdf/:district/forverkande") { request, context in
            let (account, session, district) = try await authorised(state, request, context)
            let today = state.app.clock.today
            let watched = try state.app.forfeitureList(district: district.code, on: today).map { notice -> [String: Any] in
                [
                    "notice": notice.notice, "contract": notice.contract, "tenant": SensitiveText.masked(notice.tenant),
                    "address": SensitiveText.masked(notice.address), "dueDate": notice.dueDate.description,
                    "watchDate": ForfeitureWatch.watchDate(dueDate: notice.dueDate).description, "balance": notice.balance.swedish,
                    "notifiedOn": notice.notifiedOn?.description ?? "–",
                    "deadline": notice.notifiedOn.map { ForfeitureWatch.recoveryDeadline(notifiedOn: $0).description } ?? "–",
                ]
            }
            let late = try state.app.debts(district: district.code, asOf: today)
            let ages = DebtAge.allCases.map { age -> [String: Any] in
                let notices = late.filter { DebtAge(dueDate: $0.dueDate, on: today) == age }
                return ["age": age.rawValue, "count": notices.count, "total": Money(ore: notices.reduce(0) { $0 + $1.balance.ore }).swedish]
            }
            return page(
                state.pages, "forfeiture",
                [
                    "title": "Förverkandebevakning \(district.code)", "account": frame(account, session), "district": district.code,
                    "date": today.description, "watched": watched, "anyWatched": !watched.isEmpty, "ages": ages,
                ])
        }
    }
}

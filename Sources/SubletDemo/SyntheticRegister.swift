import SubletApp
import SubletDomain

/// A deterministic generator of realistic, entirely fictitious register data for the demo and
/// the benchmark: Stockholm's district offices and a legacy-register CSV export of sublet contracts.
public struct SyntheticRegister: Sendable {
    /// The city's thirteen district offices (stadsdelsförvaltningar).
    public static let districts: [District] = [
        District(code: "RK", name: "Rinkeby-Kista"),
        District(code: "ST", name: "Spånga-Tensta"),
        District(code: "HV", name: "Hässelby-Vällingby"),
        District(code: "BR", name: "Bromma"),
        District(code: "KH", name: "Kungsholmen"),
        District(code: "NM", name: "Norrmalm"),
        District(code: "OM", name: "Östermalm"),
        District(code: "SM", name: "Södermalm"),
        District(code: "EAV", name: "Enskede-Årsta-Vantör"),
        District(code: "SK", name: "Skarpnäck"),
        District(code: "FA", name: "Farsta"),
        District(code: "HA", name: "Hägersten-Älvsjö"),
        District(code: "SH", name: "Skärholmen"),
    ]

    static let firstNames = [
        "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Johanna", "Amina", "Fatima", "Leila", "Hanna",
        "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Ahmed", "Mohammed", "Ali", "Omar", "Jonas",
        "Elsa", "Maja", "Linnea", "Oskar", "Lucas", "Hugo", "Yusuf", "Zeynep", "Noor", "Dawit", "Selam", "Ivan",
    ]
    static let lastNames = [
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
        "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Mohamed", "Ali", "Hassan",
        "Ahmed", "Yilmaz", "Lindberg", "Lindqvist", "Berg", "Holm", "Bergström", "Sandberg", "Abdi", "Tesfaye",
    ]
    static let streets: [String: [String]] = [
        "RK": ["Rinkebystråket", "Kistagången", "Husbygårdsgatan", "Akalladalen"],
        "ST": ["Tensta allé", "Spångavägen", "Hjulstagränd", "Elinsborgsbacken"],
        "HV": ["Vällingbyplan", "Hässelby torg", "Grimstagatan", "Råcksta gårdsväg"],
        "BR": ["Brommaplan", "Ulvsundavägen", "Mariehällsvägen", "Abrahamsbergsvägen"],
        "KH": ["Fleminggatan", "Hantverkargatan", "Sankt Eriksgatan", "Fridhemsgatan"],
        "NM": ["Vasagatan", "Upplandsgatan", "Odengatan", "Torsgatan"],
        "OM": ["Karlavägen", "Valhallavägen", "Linnégatan", "Tessinparken"],
        "SM": ["Götgatan", "Ringvägen", "Hornsgatan", "Folkungagatan"],
        "EAV": ["Rågsvedsvägen", "Bagarmossvägen", "Årstavägen", "Högdalsgången"],
        "SK": ["Skarpnäcks allé", "Pålsundsvägen", "Björkhagsplan", "Kärrtorpsvägen"],
        "FA": ["Farstagången", "Hökarängsplan", "Gubbängsvägen", "Larsbodavägen"],
        "HA": ["Hägerstensvägen", "Västberga allé", "Älvsjö gårdsväg", "Fruängsgången"],
        "SH": ["Skärholmsvägen", "Bredängs allé", "Sätra torg", "Vårbergsvägen"],
    ]
    /// The first three digits of each district's postal codes (fictitious but plausible).
    static let postalPrefixes: [String: Int] = [
        "RK": 164, "ST": 163, "HV": 165, "BR": 168, "KH": 112, "NM": 113, "OM": 115, "SM": 118, "EAV": 121, "SK": 128, "FA": 123,
        "HA": 126, "SH": 127,
    ]
    static let charges: [(label: String, range: ClosedRange<Int>, vat: Int)] = [
        ("Parkering", 350...950, 0), ("Förråd", 100...300, 0), ("Hushållsel", 200...600, 0), ("Garage", 900...1500, 25),
    ]

    public let seed: UInt64

    public init(seed: UInt64 = 2026) {
        self.seed = seed
    }

    /// A legacy export of `count` contracts (`;`-separated, decimal comma, UTF-8 with BOM), all
    /// active in `period`; about 5 % start or end within it, about a third have charges.
    public func csv(count: Int, activeIn period: BillingPeriod) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var output: [UInt8] = [0xEF, 0xBB, 0xBF]
        output.reserveCapacity(count * 150)
        output += Array("contract_number;district;tenant_name;personal_number;address;object_id;start_date;end_date;rent;charges\r\n".utf8)
        for index in 0..<count {
            let district = Self.districts[Int(random.next() % UInt64(Self.districts.count))].code
            let name = Self.firstNames.randomElement(using: &random)! + " " + Self.lastNames.randomElement(using: &random)!
            let personalNumber = Self.personalNumber(using: &random, before: period.firstDay)
            let street = Self.streets[district]!.randomElement(using: &random)!
            let postalCode = "\(Self.postalPrefixes[district] ?? 100) \(String(10 + index % 90))"
            let address =
                "\(street) \(Int.random(in: 1...120, using: &random)), lgh \(Int.random(in: 1001...1603, using: &random)), \(postalCode) Stockholm"
            let objectID = Int.random(in: 0..<10, using: &random) < 8 ? "OBJ-\(String(100_000 + index))" : ""
            let partial = Int.random(in: 0..<1000, using: &random)
            let start: CalendarDate
            var end: CalendarDate?
            if partial < 25 {
                start = CalendarDate(year: period.year, month: period.month, day: Int.random(in: 2...period.dayCount, using: &random))!
            } else {
                start = period.firstDay.adding(days: -Int.random(in: 30...2900, using: &random))
            }
            if partial >= 25, partial < 50 {
                end = CalendarDate(year: period.year, month: period.month, day: Int.random(in: 1...(period.dayCount - 1), using: &random))!
            } else if Int.random(in: 0..<10, using: &random) < 4 {
                end = period.lastDay.adding(days: Int.random(in: 60...1100, using: &random))
            }
            let rentOre =
                Int.random(in: 4500...12000, using: &random) * 100
                + (Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...99, using: &random) : 0)
            var chargeTexts: [String] = []
            if Int.random(in: 0..<3, using: &random) == 0 {
                var picked = Self.charges.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random))
                picked.sort { $0.label < $1.label }
                for charge in picked {
                    let amount = Money(ore: Int.random(in: charge.range, using: &random) * 100)
                    chargeTexts.append("\(charge.label)=\(amount.plainSwedish)\(charge.vat == 0 ? "" : "@\(charge.vat)")")
                }
            }
            let fields = [
                "L-" + String(index + 1).zeroPadded(to: 7), district, name, personalNumber, address, objectID,
                start.description, end?.description ?? "", Money(ore: rentOre).plainSwedish, chargeTexts.joined(separator: "|"),
            ]
            output += Array(CSVWriter.row(fields, delimiter: ";").utf8)
        }
        return output
    }

    /// A valid personnummer (3 % samordningsnummer) for an adult born before `date`, as `YYYYMMDD-NNNN`.
    static func personalNumber(using random: inout SplitMix64, before date: CalendarDate) -> String {
        let birth = date.adding(days: -Int.random(in: 18 * 365...80 * 365, using: &random))
        let day = Int.random(in: 0..<100, using: &random) < 3 ? birth.day + 60 : birth.day
        let datePart = String(birth.year) + String(birth.month).zeroPadded(to: 2) + String(day).zeroPadded(to: 2)
        let serial = String(Int.random(in: 1...999, using: &random)).zeroPadded(to: 3)
        let check = Luhn.checkDigit(for: datePart.dropFirst(2) + serial)
        return datePart + "-" + serial + String(check)
    }
}

/// A small, fast, seedable generator (SplitMix64), so the demo is the same every time.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

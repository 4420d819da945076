import Foundation
import SubletDomain

/// A progress line for long work on a terminal: a bar, the count, the percentage and the time
/// left, redrawn at most ten times a second on stderr, and nothing at all when stderr is not a
/// terminal (a pipe, a file, the journal) or under `--quiet`.
final class ProgressBar {
    private let output: Output
    private let label: String
    private let start = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    private var drawn = false

    /// What `items` counts, when the bar's measure is another (bytes of a file).
    private let unit: String?

    init(_ output: Output, label: String, unit: String? = nil) {
        self.output = output
        self.label = label
        self.unit = unit
    }

    /// `done` of `total` (`nil`: unknown, then the count alone); `items`, when given, is the
    /// count shown (payments stored while `done` counts the file's bytes).
    func update(_ done: Int, of total: Int?, items: Int? = nil) {
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done != total { return }
        lastDrawn = now
        drawn = true
        let count = items.map { "\(Self.grouped($0)) \(unit ?? "")" }
        output.progress(Self.line(label: label, done: done, total: total, elapsed: Self.seconds(now - start), count: count))
    }

    /// Ends the line (when one was drawn).
    func finish() {
        if drawn { output.endProgress() }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `Exporting notices [#########-----------]  41 000/86 000  47 %  1:03 left`. The time left
    /// is the time so far scaled by what remains; it is not shown before a second has passed.
    /// `count` replaces `done/total` as the count shown.
    static func line(label: String, done: Int, total: Int?, elapsed: Double, count: String? = nil, width: Int = 24) -> String {
        guard let total, total > 0 else { return "\(label): \(count ?? grouped(done))" }
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var text = "\(label) [\(bar)] \(count ?? "\(grouped(done))/\(grouped(total))") \(Int((fraction * 100).rounded(.down))) %"
        if elapsed >= 1, done > 0, done < total {
            let left = Int((elapsed * Double(total - done) / Double(done)).rounded())
            text += " \(left / 60):" + String(left % 60).zeroPadded(to: 2) + " left"
        }
        return text
    }

    /// 86000 → "86 000", as the rest of Sublet writes numbers.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += " " }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }
}

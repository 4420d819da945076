import GRDB

/// The optional filters of a listing query (`--district`, `--period`, …): each condition with
/// its arguments, joined with AND.
struct QueryFilter {
    private var conditions: [String] = []
    private(set) var arguments: StatementArguments = []

    /// Adds `condition` with the values for its `?` placeholders, in order.
    mutating func add(_ condition: String, _ values: any DatabaseValueConvertible...) {
        conditions.append(condition)
        _ = arguments.append(contentsOf: StatementArguments(values))
    }

    /// The conditions joined with AND; empty when there are none.
    var condition: String { conditions.joined(separator: " AND ") }

    var isEmpty: Bool { conditions.isEmpty }

    /// `WHERE …`, or nothing when there are no conditions.
    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + condition }
}

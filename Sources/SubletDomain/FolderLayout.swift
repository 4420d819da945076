/// The rule for the daemon's folders (issue #7): the inbox, the archive and the rejected folder
/// each stand apart from the database's folder, the outbox and one another, so that moving files
/// out of the inbox can never move the database, a report, or a file already archived.
/// Pure: it compares absolute paths that the caller has resolved (symbolic links followed).
public enum FolderLayout {
    /// A folder and the configuration key (or option) that names it.
    public struct Folder: Sendable, Equatable {
        public var key: String
        public var path: String
        public init(key: String, path: String) {
            self.key = key
            self.path = path
        }
    }

    /// Two folders that must not overlap but do.
    public struct Conflict: Sendable, Equatable, CustomStringConvertible {
        public enum Relation: String, Sendable { case same = "is", inside = "lies inside", contains }
        public var folder: Folder
        public var relation: Relation
        public var other: Folder

        public var description: String {
            "\(folder.key) (\(folder.path)) \(relation.rawValue) \(other.key) (\(other.path))"
        }
    }

    /// Every conflict of the `moving` folders (inbox, archive, rejected) with the `protected` ones
    /// (the database's folder, the outbox) and with each other.
    public static func conflicts(moving: [Folder], protected: [Folder]) -> [Conflict] {
        var result: [Conflict] = []
        for (index, folder) in moving.enumerated() {
            for other in protected + moving[(index + 1)...] {
                if let relation = relation(of: folder.path, to: other.path) {
                    result.append(Conflict(folder: folder, relation: relation, other: other))
                }
            }
        }
        return result
    }

    /// How `path` relates to `other`: the same folder, inside it, or containing it; `nil` when
    /// they are apart. Both are absolute, without `.`, `..` or a trailing `/`.
    public static func relation(of path: String, to other: String) -> Conflict.Relation? {
        if path == other { return .same }
        if path.hasPrefix(other == "/" ? "/" : other + "/") { return .inside }
        if other.hasPrefix(path == "/" ? "/" : path + "/") { return .contains }
        return nil
    }
}

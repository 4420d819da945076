import Foundation
import SubletApp
import SubletDomain

/// The daemon's folders, checked before it touches anything (issue #7): symbolic links are
/// resolved first, an inbox that is itself a symbolic link is refused unless
/// `daemon.allow_symlinked_inbox` says otherwise, and the inbox, archive and rejected folders must
/// stand apart from the database's folder, the outbox and each other (`FolderLayout`). Then the
/// missing folders are created, mode 0750.
struct DaemonFolders {
    let configuration: Settings
    let databasePath: String

    /// Checks and creates the folders, or throws a configuration error naming the keys.
    func prepare() throws(ConfigurationError) {
        let inbox = configuration.paths.inbox
        var link = stat()
        if lstat(inbox, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, !configuration.daemon.allowSymlinkedInbox {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: inbox)) ?? "?"
            throw .setting(
                name: "paths.inbox",
                message:
                    "\(inbox) is a symbolic link (to \(target)); subletd would move files wherever it points. Name the real folder, or set daemon.allow_symlinked_inbox = true if the link is deliberate."
            )
        }
        let moving = [
            FolderLayout.Folder(key: "paths.inbox", path: Self.resolved(inbox)),
            FolderLayout.Folder(key: "paths.archive", path: Self.resolved(configuration.paths.archive)),
            FolderLayout.Folder(key: "paths.rejected", path: Self.resolved(configuration.paths.rejected)),
        ]
        let databaseFolder = URL(fileURLWithPath: Self.resolved(databasePath)).deletingLastPathComponent().path
        let protected = [
            FolderLayout.Folder(key: "the database's folder (paths.database, --db or SUBLET_DB)", path: databaseFolder),
            FolderLayout.Folder(key: "paths.outbox", path: Self.resolved(configuration.paths.outbox)),
        ]
        let conflicts = FolderLayout.conflicts(moving: moving, protected: protected)
        guard conflicts.isEmpty else {
            let keys = Set(conflicts.map(\.folder.key)).sorted().joined(separator: ", ")
            throw .setting(
                name: keys,
                message: conflicts.map(\.description).joined(separator: "; ")
                    + ". subletd moves files out of the inbox into the archive and rejected folders, so each needs a folder of its own, apart from the database and the outbox (e.g. /var/spool/sublet/inbox, /var/spool/sublet/archive, /var/spool/sublet/rejected)."
            )
        }
        for folder in [inbox, configuration.paths.archive, configuration.paths.rejected, configuration.paths.outbox] {
            do {
                try FileOutput.createFolder(folder)
            } catch {
                throw .setting(name: "paths", message: error.description)
            }
        }
    }

    /// The absolute path with symbolic links resolved; for a path that does not exist yet, its
    /// nearest existing ancestor is resolved and the rest appended.
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var existing = absolute
        var rest: [String] = []
        while true {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.reversed().joined(separator: "/")
            }
            let url = URL(fileURLWithPath: existing)
            let parent = url.deletingLastPathComponent().path
            if parent == existing { return absolute }
            rest.append(url.lastPathComponent)
            existing = parent
        }
    }
}

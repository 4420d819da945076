import Foundation

/// Tells systemd how the service is doing (`Type=notify`): `READY=1`, `STATUS=…`, `WATCHDOG=1`,
/// `STOPPING=1`, as datagrams to `$NOTIFY_SOCKET` (the sd_notify protocol). Does nothing when
/// the variable is unset, as when run by hand.
public struct SystemdNotifier: Sendable {
    let socketPath: String?
    /// Half the watchdog interval systemd asks for (`$WATCHDOG_USEC`), or `nil` without one.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        let watchdog = environment["WATCHDOG_USEC"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let watchdogPID = environment["WATCHDOG_PID"].flatMap(Int32.init)
        if let watchdog, watchdogPID == nil || watchdogPID == getpid() {
            watchdogInterval = .microseconds(watchdog / 2)
        } else {
            watchdogInterval = nil
        }
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ status: String) { send("STATUS=\(status)") }
    public func watchdog() { if watchdogInterval != nil { send("WATCHDOG=1") } }
    public func stopping() { send("STOPPING=1") }

    /// Sends one datagram without ever waiting: when the socket's queue is full the message is
    /// dropped rather than stalling the daemon (a blocking send on a full notify socket would stop
    /// the inbox). Failures are ignored (systemd will notice the silence).
    func send(_ message: String) {
        guard let socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // the abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), socketAddress, length) }
            }
        }
    }
}

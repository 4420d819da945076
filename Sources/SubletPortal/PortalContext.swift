import HTTPTypes
import Hummingbird
import NIOCore

/// A request's context: Hummingbird's core, and the client's address for the login limits and
/// the audit log.
public struct PortalContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address; `nil` when there is none (an in-process test).
    public let peer: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}

extension Request {
    /// The client's address: the peer's, or, when the peer is this machine (the nginx in front of
    /// the portal, or a test), the `X-Real-IP` header nginx sets (docs/operations.md).
    func clientAddress(_ context: PortalContext) -> String {
        let loopback = context.peer.map { $0 == "127.0.0.1" || $0 == "::1" } ?? true
        if loopback, let forwarded = headers[HTTPField.Name("X-Real-IP")!], !forwarded.isEmpty, forwarded.count <= 45 { return forwarded }
        return context.peer ?? "local"
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SubletApp
import SubletStorage
import UnixSignals

/// `sublet-portal`: serves the district portal on `portal.listen` until SIGTERM or SIGINT.
/// Exit codes as `sublet`'s: 78 a configuration error, 66 no database, 1 anything else.
public struct PortalMain: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sublet-portal",
        abstract: "The district offices' read-only web portal.",
        discussion: """
            Opens the register read-only and the portal's accounts database (portal.accounts), and
            listens on portal.listen (loopback; nginx in front terminates TLS: docs/operations.md).

            Examples:
              sublet-portal --config /etc/sublet/sublet.toml
              swift run -c release sublet-portal --config Config/sublet.toml
            """)

    @Option(help: "Configuration file (default: $SUBLET_CONFIG, /etc/sublet/sublet.toml, the defaults).") var config: String?
    @Option(help: "The register's database (default: $SUBLET_DB, paths.database).") var db: String?

    public init() {}

    /// Parses the command line and serves (the executable's one line).
    public static func start() async { await main() }

    public func run() async throws {
        let logger = Logger(label: "sublet-portal")
        do {
            let app = try SubletApp.make(
                .init(configPath: config, databasePath: db, actor: "sublet-portal", access: .readOnly),
                environment: ProcessInfo.processInfo.environment, output: StandardOutput(), logger: logger)
            let accounts = try PortalAccounts.open(at: app.settings.portal.accounts)
            guard let (host, port) = Settings.hostAndPort(app.settings.portal.listen) else {
                throw ConfigurationError.setting(name: "portal.listen", message: "expected host:port")
            }
            guard let (metricsHost, metricsPort) = Settings.hostAndPort(app.settings.portal.metricsListen) else {
                throw ConfigurationError.setting(name: "portal.metrics_listen", message: "expected host:port")
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let router = PortalRoutes.router(try PortalState(app: app, accounts: accounts), countingRequests: true)
            let server = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
            let metrics = Application(
                router: PortalRoutes.metricsRouter(registry),
                configuration: .init(address: .hostname(metricsHost, port: metricsPort), serverName: nil),
                logger: logger)
            logger.info("sublet-portal: listening on http://\(host):\(port), metrics on http://\(metricsHost):\(metricsPort)/metrics")
            let group = ServiceGroup(services: [server, metrics], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        } catch let error as ConfigurationError {
            logger.error("sublet-portal: \(error)")
            throw ExitCode(78)
        } catch let error as StorageError {
            logger.error("sublet-portal: \(error)")
            throw ExitCode(66)
        }
    }
}

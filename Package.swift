// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Sublet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sublet", targets: ["sublet"]),
        .executable(name: "subletd", targets: ["subletd"]),
        .executable(name: "sublet-bench", targets: ["sublet-bench"]),
        .executable(name: "sublet-portal", targets: ["sublet-portal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        // Pure rules: money, dates, bank days, OCR, identity numbers, proration, notice planning. No IO.
        .target(name: "SubletDomain", swiftSettings: swiftSettings),
        // libxml2, the system's: the one C library Sublet talks to directly (GRDB wraps SQLite).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Landlords' PEPPOL e-invoices, streamed from XML into domain values. Only here: libxml2.
        // libcrypto, the system's, for the SHA-256 that recognises a file taken in before.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "InvoiceFeed", dependencies: ["SubletDomain", "CLibXML2", "CLibCrypto"], swiftSettings: swiftSettings),
        // The SQLite database: schema, migrations, the one door every process writes through.
        .target(
            name: "SubletStorage",
            dependencies: [
                "SubletDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The application layer: settings, the clock, one use case per method, the exports and the
        // ingest, the named jobs, and the defaults compiled in. What sublet, subletd and the jobs run.
        .target(
            name: "SubletApp",
            dependencies: [
                "SubletDomain", "SubletStorage", "InvoiceFeed",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                // bcrypt alone (a C file): the portal's password hashes.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        // Synthetic registers and invoice feeds, the demo, and the benchmark's phases.
        .target(
            name: "SubletDemo",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp", "InvoiceFeed",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // How the executables log: one line per event, for journald or a terminal.
        .target(
            name: "SubletLogging",
            dependencies: ["SubletDomain", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The `sublet` command tree, as a library so tests reach it.
        .target(
            name: "SubletCLI",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp", "SubletDemo", "InvoiceFeed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `subletd`: watches the inbox, takes invoices in, rebuilds the districts' reports.
        .target(
            name: "SubletDaemon",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp", "InvoiceFeed",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `sublet-portal`: the district offices' read-only web portal (Hummingbird), over the
        // register opened read-only and the portal's own accounts database.
        .target(
            name: "SubletPortal",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sublet-portal",
            dependencies: ["SubletPortal", "SubletLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sublet",
            dependencies: ["SubletCLI", "SubletLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "subletd",
            dependencies: ["SubletDaemon", "SubletLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sublet-bench",
            dependencies: ["SubletDemo", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SubletDomainTests",
            dependencies: ["SubletDomain", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InvoiceFeedTests",
            dependencies: ["SubletDomain", "InvoiceFeed"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SubletStorageTests",
            dependencies: [
                "SubletDomain", "SubletStorage", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SubletAppTests",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp", "SubletDemo", "SubletLogging", "InvoiceFeed",
                .product(name: "PropertyBased", package: "swift-property-based"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SubletPortalTests",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp", "SubletPortal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SubletCLITests",
            dependencies: [
                "SubletDomain", "SubletStorage", "SubletApp", "SubletDemo", "SubletCLI", "SubletDaemon", .product(name: "GRDB", package: "GRDB.swift"),
                "InvoiceFeed", .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

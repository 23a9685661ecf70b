// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "FreedomPay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "freedompay", targets: ["freedompay"]),
        .library(name: "FreedomPayClient", targets: ["FreedomPayClient"]),
        .library(name: "FreedomPayWire", targets: ["FreedomPayWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Already in the graph through swift-crypto; named to parse untrusted RSA keys (see RSAPublicKeyNumbers).
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Wire formats shared by server and client: signing schemes, wire models, envelopes.
        .target(
            name: "FreedomPayWire",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Domain: partners, cards, ledger, state machines. No I/O except through the Store protocol.
        .target(
            name: "FreedomPayCore",
            dependencies: [
                "FreedomPayWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                // RSA-OAEP for card/secret_v2 and PBKDF2 for PIN hashes.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // SQLite's default page cache, wrapped so that a commit does not scan the whole cache (see its header).
        .target(name: "CSQLitePageCache", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Store implementations (SQLite now, PostgreSQL later) and migrations.
        .target(
            name: "FreedomPayStore",
            dependencies: [
                "FreedomPayCore", "CSQLitePageCache",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API, to bind and step GRDB's cached statements directly (SQLiteStatementRunner).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP server: one folder per API, auth middleware per signature scheme.
        .target(
            name: "FreedomPayServer",
            dependencies: [
                "FreedomPayCore", "FreedomPayStore", "FreedomPayWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // Server-rendered operator dashboard.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // Typed client SDK for the same APIs (usable against real Freedom Pay too).
        .target(
            name: "FreedomPayClient",
            dependencies: [
                "FreedomPayWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "freedompay",
            dependencies: [
                "FreedomPayServer", "FreedomPayClient", "FreedomPayStore", "FreedomPayCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks with fixed workloads: throughput and latency percentiles, never timed unit tests.
        .executableTarget(
            name: "freedompay-bench",
            dependencies: [
                "FreedomPayServer", "FreedomPayClient", "FreedomPayStore", "FreedomPayCore", "FreedomPayWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FreedomPayWireTests",
            dependencies: ["FreedomPayWire", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FreedomPayCoreTests",
            dependencies: [
                "FreedomPayCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FreedomPayStoreTests",
            dependencies: ["FreedomPayStore", "FreedomPayCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FreedomPayServerTests",
            dependencies: [
                "FreedomPayServer", "FreedomPayClient", "FreedomPayStore", "FreedomPayCore", "FreedomPayWire",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

import ArgumentParser

@main
struct FreedomPayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freedompay",
        abstract: "Freedom Pay server, sandbox and client.",
        subcommands: [Serve.self, Migrate.self, Partners.self, Merchants.self, Call.self, Sandbox.self, Sign.self, Audit.self, Operators.self, Listen.self]
    )
}

/// Where the server keeps its data; shared by every command that opens the store.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder (database, keys, sandbox credentials). Env: FREEDOMPAY_DATA")
    var data: String = Environment.string("FREEDOMPAY_DATA") ?? "./freedompay-data"

    @Option(name: .long, help: "AES-256-GCM key for secrets at rest, 'keyid:base64'. Env: FREEDOMPAY_ENCRYPTION_KEY")
    var encryptionKey: String? = Environment.string("FREEDOMPAY_ENCRYPTION_KEY")

    @Option(help: "PostgreSQL URL postgres://user:pass@host:port/db (default: embedded SQLite in --data). Env: FREEDOMPAY_POSTGRES_URL")
    var postgres: String? = Environment.string("FREEDOMPAY_POSTGRES_URL")

    @Flag(inversion: .prefixedNo, help: "Sandbox mode (demo credentials, test cards, inboxes). Env: FREEDOMPAY_SANDBOX")
    var sandbox: Bool = Environment.bool("FREEDOMPAY_SANDBOX") ?? true
}

enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func int(_ name: String) -> Int? { string(name).flatMap(Int.init) }

    static func bool(_ name: String) -> Bool? {
        guard let value = string(name)?.lowercased() else { return nil }
        return ["1", "true", "yes", "on"].contains(value)
    }
}

import Foundation

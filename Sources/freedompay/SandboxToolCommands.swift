import ArgumentParser
import Foundation
import FreedomPayClient

extension Sandbox {
    /// `freedompay sandbox reset`: wipes the sandbox's business data, keeps partners, merchants and credentials.
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wipe all sandbox business data (cards, clients, ledger, purchases, payouts, callbacks, SMS…); keep partners and merchants.")
        @OptionGroup var connection: Connection

        func run() async throws {
            let response = try await connection.client().sendRaw(path: "/v5/card-api/sandbox/reset", body: Array(#"{"confirm":"reset"}"#.utf8))
            print(response.text)
            if response.status >= 400 || response.text.contains(#""status":"error""#) { throw ExitCode(1) }
        }
    }

    /// `freedompay sandbox inject add|list|clear`: failure injection at runtime.
    struct Inject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Failure injection: `inject add 'POST /v5/card-api/card/issue=drop-after-commit'`, `inject list`, `inject clear`.")
        @OptionGroup var connection: Connection
        @Argument(help: "add, list or clear") var action: String
        @Argument(help: "With add: 'METHOD PATH=error:<code>|latency:<ms>|drop-after-commit[@probability]'") var rule: String?

        func run() async throws {
            guard ["add", "list", "clear"].contains(action) else { throw ValidationError("action is add, list or clear") }
            var body: [String: String] = ["action": action]
            if action == "add" {
                guard let rule else { throw ValidationError("add needs a rule") }
                body["rule"] = rule
            }
            let json = try JSONEncoder().encode(body)
            let response = try await connection.client().sendRaw(path: "/v5/card-api/sandbox/inject", body: Array(json))
            print(response.text)
            if response.status >= 400 || response.text.contains(#""status":"error""#) { throw ExitCode(1) }
        }
    }
}

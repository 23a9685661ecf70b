import ArgumentParser
import Foundation
import FreedomPayClient

/// `freedompay sandbox ...`: helpers for testers, signed with the partner's credentials like any call.
struct Sandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sandbox helpers: SMS inbox, funding, clock, reset, failure injection.",
        subcommands: [SMS.self, Fund.self, Clock.self, Reset.self, Inject.self])

    struct Connection: ParsableArguments {
        @Option(help: "Server base URL. Env: FREEDOMPAY_URL") var baseURL: String = Environment.string("FREEDOMPAY_URL") ?? "http://127.0.0.1:8080"
        @Option(help: "Data folder holding sandbox-credentials.json.") var data: String = Environment.string("FREEDOMPAY_DATA") ?? "./freedompay-data"
        @Option(help: "Partner auth_id (overrides the credentials file).") var authID: String?
        @Option(help: "Partner secret (overrides the credentials file).") var secret: String?

        func client() throws -> CardAPIClient {
            struct Stored: Decodable { var auth_id: String?; var secret: String? }
            let path = (data as NSString).appendingPathComponent("sandbox-credentials.json")
            let stored = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Stored.self, from: $0) }
            guard let authID = authID ?? stored?.auth_id, let secret = secret ?? stored?.secret else {
                throw ValidationError("no partner credentials: pass --auth-id and --secret, or --data with sandbox-credentials.json")
            }
            return CardAPIClient(baseURL: baseURL, authID: authID, secret: secret)
        }
    }

    struct SMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the SMS messages the sandbox 'sent' (newest first).")
        @OptionGroup var connection: Connection
        @Option(help: "Only messages to this phone (digits with country code).") var phone: String?
        @Option(help: "At most this many messages.") var limit: Int = 20

        func run() async throws {
            let json = "{" + (phone.map { #""phone":"\#($0)","# } ?? "") + #""limit":\#(limit)}"#
            let response = try await connection.client().sendRaw(path: "/v5/card-api/sandbox/sms", body: Array(json.utf8))
            print(response.text)
            if response.status >= 400 { throw ExitCode(1) }
        }
    }

    struct Fund: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Credit the partner's settlement account (funds gift cards), or with --merchant a merchant's payout balance.")
        @OptionGroup var connection: Connection
        @Option(help: "Amount in major units, e.g. 1000 or 99.50.") var amount: String
        @Option(help: "ISO 4217 currency.") var currency: String = "KZT"
        @Option(help: "Fund this merchant's payout balance instead (signed with its payout secret).") var merchant: String?
        @Option(help: "The merchant's payout secret. Env: FREEDOMPAY_PAYOUT_SECRET") var payoutSecret: String?

        func run() async throws {
            if let merchant {
                guard let secret = payoutSecret ?? Environment.string("FREEDOMPAY_PAYOUT_SECRET") else {
                    throw ValidationError("--merchant needs --payout-secret (or FREEDOMPAY_PAYOUT_SECRET)")
                }
                let client = MerchantAPIClient(baseURL: connection.baseURL, merchantID: merchant, paymentSecret: "", payoutSecret: secret)
                let balance = try await client.sandboxFund(amount: amount, currency: currency)
                print("merchant \(merchant) payout balance: \(balance.balance) \(balance.currency)")
                return
            }
            let json = #"{"amount":"\#(amount)","currency":"\#(currency)"}"#
            let response = try await connection.client().sendRaw(path: "/v5/card-api/sandbox/fund", body: Array(json.utf8))
            print(response.text)
            if response.status >= 400 { throw ExitCode(1) }
        }
    }

    struct Clock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or move the sandbox clock: `freedompay sandbox clock advance 6d`.")
        @OptionGroup var connection: Connection
        @Argument(help: "show, or advance") var action: String = "show"
        @Argument(help: "With advance: a duration such as 6d, 12h, 30m, 1d12h.") var duration: String?

        func run() async throws {
            let json: String
            switch action {
            case "show": json = "{}"
            case "advance":
                guard let duration else { throw ValidationError("advance needs a duration, e.g. 6d") }
                json = #"{"advance":"\#(duration)"}"#
            default: throw ValidationError("action is show or advance")
            }
            let response = try await connection.client().sendRaw(path: "/v5/card-api/sandbox/clock", body: Array(json.utf8))
            print(response.text)
            if response.status >= 400 { throw ExitCode(1) }
        }
    }
}

import ArgumentParser
import Foundation
import FreedomPayClient
import FreedomPayWire

/// `freedompay call card-api request/status --json '{...}'`: signs a body exactly as sent, prints the answer.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign and send one API call, print the answer (a signature debugging aid).",
        discussion: """
            Examples:
              freedompay call card-api request/status --json '{"request_id":"..."}'
              freedompay call partner-api rates/add --json '{"rates":[...]}'
              freedompay call merchant-api init_payment.php --param pg_amount=100 --param pg_order_id=1
            Credentials default to <data>/sandbox-credentials.json.
            """)

    enum API: String, ExpressibleByArgument, CaseIterable {
        case cardAPI = "card-api"
        case partnerAPI = "partner-api"
        case merchantAPI = "merchant-api"
    }

    @Argument(help: "card-api, partner-api or merchant-api") var api: API
    @Argument(help: "Route below the API prefix (request/status) or a full path (/v5/cards/issue_card).") var route: String
    @Option(help: "JSON body, sent byte for byte as given.") var json: String = "{}"
    @Option(name: .customLong("param"), help: "Merchant API parameter name=value (repeatable).") var parameters: [String] = []
    @Option(help: "Server base URL. Env: FREEDOMPAY_URL") var baseURL: String = Environment.string("FREEDOMPAY_URL") ?? "http://127.0.0.1:8080"
    @Option(help: "Data folder holding sandbox-credentials.json.") var data: String = Environment.string("FREEDOMPAY_DATA") ?? "./freedompay-data"
    @Option(help: "Partner auth_id (overrides the credentials file).") var authID: String?
    @Option(help: "Partner secret (overrides the credentials file).") var secret: String?
    @Option(help: "Merchant id (overrides the credentials file).") var merchantID: String?
    @Option(help: "Merchant secret (payment or payout, as the route needs).") var merchantSecret: String?
    @Flag(help: "Card API: sign with the legacy Auth-Id/Request-Id/Sign headers instead of JWS.") var legacy = false
    @Flag(help: "Merchant API: sign with the payout secret.") var payout = false
    @Flag(help: "Print the request headers that were sent.") var verbose = false

    func run() async throws {
        let stored = loadCredentials()
        let response: TransportResponse
        switch api {
        case .cardAPI, .partnerAPI:
            let path = route.hasPrefix("/") ? route : (api == .cardAPI ? "/v5/card-api/" : "/v5/partner/") + route
            let authID = authID ?? stored?.authID ?? ""
            let secret = secret ?? stored?.secret ?? ""
            let body = Array(json.utf8)
            if api == .cardAPI {
                let client = CardAPIClient(baseURL: baseURL, authID: authID, secret: secret, signing: legacy ? .legacy : .jws)
                if verbose { client.signatureHeaders(path: path, body: body).forEach { print("> \($0.0): \($0.1)") } }
                response = try await client.sendRaw(path: path, body: body)
            } else {
                let client = PartnerAPIClient(baseURL: baseURL, authID: authID, secret: secret)
                if verbose { print("> X-JWS-Signature: \(client.signature(path: path, body: body))") }
                response = try await client.sendRaw(path: path, body: body)
            }
        case .merchantAPI:
            let path = route.hasPrefix("/") ? route : "/" + route
            let merchantID = merchantID ?? stored?.merchantID ?? ""
            let paymentSecret = merchantSecret ?? stored?.paymentSecret ?? ""
            let payoutSecret = merchantSecret ?? stored?.payoutSecret ?? ""
            let client = MerchantAPIClient(baseURL: baseURL, merchantID: merchantID, paymentSecret: paymentSecret, payoutSecret: payoutSecret)
            let fields = parameters.map { field -> (name: String, value: String) in
                let parts = field.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            response = try await client.sendRaw(path: path, parameters: PGForm.parameters(fields: fields), secret: payout ? .payout : .payment)
        }
        print("HTTP \(response.status)")
        print(response.text)
        if response.status >= 400 { throw ExitCode(1) }
    }

    private struct StoredCredentials: Decodable {
        var authID: String?
        var secret: String?
        var merchantID: String?
        var paymentSecret: String?
        var payoutSecret: String?

        enum CodingKeys: String, CodingKey {
            case authID = "auth_id", secret, merchantID = "merchant_id", paymentSecret = "payment_secret", payoutSecret = "payout_secret"
        }
    }

    private func loadCredentials() -> StoredCredentials? {
        let path = (data as NSString).appendingPathComponent("sandbox-credentials.json")
        guard let contents = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(StoredCredentials.self, from: contents)
    }
}

import ArgumentParser
import Foundation
import FreedomPayClient

/// `freedompay listen --forward-to http://localhost:3000/callback --merchant <id>`: like `stripe listen`, the
/// CLI connects out to the (possibly remote) sandbox server, receives the merchant's callbacks, prints each
/// with its signature check and forwards it; the local reply is what the server records.
struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive a merchant's callbacks from a sandbox server and forward them to a local URL.")

    @Option(help: "Local URL that receives the callbacks, e.g. http://localhost:3000/callback.") var forwardTo: String
    @Option(help: "Merchant id (default: the sandbox demo merchant from --data).") var merchant: String?
    @Option(help: "Server base URL. Env: FREEDOMPAY_URL") var server: String = Environment.string("FREEDOMPAY_URL") ?? "http://127.0.0.1:8080"
    @Option(help: "Data folder holding sandbox-credentials.json.") var data: String = Environment.string("FREEDOMPAY_DATA") ?? "./freedompay-data"
    @Option(help: "The merchant's payment secret. Env: FREEDOMPAY_PAYMENT_SECRET") var paymentSecret: String?
    @Option(help: "The merchant's payout secret, to check payout callbacks. Env: FREEDOMPAY_PAYOUT_SECRET") var payoutSecret: String?

    func run() async throws {
        let listener = CallbackListener(client: try client(), forwardURL: forwardTo)
        Self.say("Listening for callbacks of merchant \(listener.client.merchantID) on \(server), forwarding to \(forwardTo) (Ctrl-C to stop)")
        var failures = 0
        while !Task.isCancelled {
            do {
                if let event = try await listener.once() { Self.say(event.summary) }
                failures = 0
            } catch FreedomPayClientError.badResponseSignature {
                failures += 1
                Self.say("! the server's answer does not verify with this secret: check --merchant and --payment-secret")
                try await Task.sleep(for: .seconds(min(failures, 5)))
            } catch {
                failures += 1
                Self.say("! \(error); retrying in \(min(failures, 5)) s")
                try await Task.sleep(for: .seconds(min(failures, 5)))
            }
        }
    }

    /// Unbuffered, so each callback shows at once even when the output is a pipe or a file.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func client() throws -> MerchantAPIClient {
        struct Stored: Decodable { var merchant_id: String?; var payment_secret: String?; var payout_secret: String? }
        let path = (data as NSString).appendingPathComponent("sandbox-credentials.json")
        let stored = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Stored.self, from: $0) }
        let fromFile = merchant == nil || merchant == stored?.merchant_id ? stored : nil
        guard let merchantID = merchant ?? stored?.merchant_id,
              let payment = paymentSecret ?? Environment.string("FREEDOMPAY_PAYMENT_SECRET") ?? fromFile?.payment_secret else {
            throw ValidationError("no merchant credentials: pass --merchant and --payment-secret, or --data with sandbox-credentials.json")
        }
        let payout = payoutSecret ?? Environment.string("FREEDOMPAY_PAYOUT_SECRET") ?? fromFile?.payout_secret ?? ""
        return MerchantAPIClient(baseURL: server, merchantID: merchantID, paymentSecret: payment, payoutSecret: payout)
    }
}

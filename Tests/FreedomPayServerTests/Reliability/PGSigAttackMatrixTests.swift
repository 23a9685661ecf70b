import Foundation
import FreedomPayCore
import FreedomPayWire
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

/// `pg_sig` attacks on every Merchant API route of the route table (plus the Auth suite's two echo routes, one
/// per secret, so the matrix runs before the purchase routes land): each answers a signed 1100 and changes nothing.
/// Uppercase hex is not an attack here: the server accepts it by design (`MerchantAuthTests.everyTransportVerifies`).
@Suite struct PGSigAttackMatrixTests {
    struct Target {
        let path: String
        let payout: Bool
        var script: String { PGSignature.scriptName(of: path) }
    }

    /// The echo routes plus every Merchant API path of the table (once per path: GET and POST share the handler).
    static func targets(merchant: Merchant) -> [Target] {
        let paths = APIRouteTable.routes.filter { $0.api == .merchantAPI }.map(\.path)
        let unique = paths.enumerated().filter { paths.firstIndex(of: $0.element) == $0.offset }.map(\.element)
        return [Target(path: MerchantAuthTests.paymentPath, payout: false), Target(path: MerchantAuthTests.payoutPath, payout: true)]
            + unique.map { path in
                Target(path: path.replacingOccurrences(of: "{merchant_id}", with: String(merchant.id.rawValue)), payout: APIRoute.usesPayoutSecret(path))
            }
    }

    /// (name, parameters) of each attack on `target` by a request claiming `merchant`.
    static func attacks(_ target: Target, merchant: Merchant, other: Merchant) -> [(String, [PGParameter])] {
        let secret = target.payout ? merchant.payoutSecret : merchant.paymentSecret
        let wrong = target.payout ? merchant.paymentSecret : merchant.payoutSecret
        let base = [PGParameter("pg_amount", "10"), PGParameter("pg_description", "attack")]
        func signed(_ secret: String, script: String? = nil) -> [PGParameter] {
            MerchantAuthTests.signed(base, merchant: merchant, script: script ?? target.script, secret: secret)
        }
        let good = signed(secret)
        var added = good
        added.append(PGParameter("pg_extra", "1"))
        var addedEmpty = good
        addedEmpty.append(PGParameter("pg_extra", ""))
        var changed = good
        changed[1] = PGParameter("pg_amount", "1000")
        var emptySig = good
        emptySig[emptySig.count - 1] = PGParameter("pg_sig", "")
        var emptied = good
        emptied[2] = PGParameter("pg_description", "")
        return [
            ("missing pg_sig", good.filter { $0.name != "pg_sig" }),
            ("empty pg_sig", emptySig),
            (target.payout ? "payment secret on a payout route" : "payout secret on a payment route", signed(wrong)),
            ("parameter added after signing", added),
            ("empty parameter added after signing", addedEmpty),
            ("value changed after signing", changed),
            ("value emptied after signing", emptied),
            ("signed for another script", signed(secret, script: "other_script.php")),
            ("another merchant's secret", signed(target.payout ? other.payoutSecret : other.paymentSecret)),
        ]
    }

    @Test func everyMerchantRouteRefusesEveryPGSigAttackWithASigned1100() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let merchant = try await server.createMerchant(name: "Victim")
        let other = try await server.createMerchant(name: "Attacker")
        let services = server.services
        let router = FreedomPayApplication.makeRouter(services: services)
        router.group("merchant-auth-test").add(middleware: MerchantAuthMiddleware(services: services, secret: .payment))
            .post("echo.php", use: MerchantAuthTests.echo)
        router.group("merchant-auth-test/api").add(middleware: MerchantAuthMiddleware(services: services, secret: .payout))
            .post("payout_echo", use: MerchantAuthTests.echo)
        let before = try await StoreFingerprint.take(server)
        let refused = try await Application(router: router).test(.router) { client in
            var refused = 0
            for target in Self.targets(merchant: merchant) {
                let secret = target.payout ? merchant.payoutSecret : merchant.paymentSecret
                for (name, parameters) in Self.attacks(target, merchant: merchant, other: other) {
                    let response = try await MerchantAuthTests.form(client, target.path, parameters)
                    let (fields, verifies) = try MerchantAuthTests.answer(response, script: target.script, secret: secret)
                    #expect(fields["pg_error_code"] == "1100", "\(target.path) \(name): \(response.text)")
                    #expect(verifies, "\(target.path) \(name): the refusal is signed with the route's secret")
                    if fields["pg_error_code"] == "1100" { refused += 1 }
                }
            }
            return refused
        }
        #expect(try await StoreFingerprint.take(server) == before, "a refused request changed the store")
        print("RELIABILITY pgsig_attacks_rejected=\(refused)")
    }
}

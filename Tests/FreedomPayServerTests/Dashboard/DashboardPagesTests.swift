import Foundation
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HummingbirdTesting
import Testing

/// What the operator sees: cards masked with their balance, secrets rotated once, escaped output, paging,
/// the live ledger invariant status.
@Suite struct DashboardPagesTests {
    @Test func cardIssuedThroughTheCardAPIAppearsMaskedWithItsBalance() async throws {
        let server = try await TestServer.make()
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            let (clientID, card) = try await client.issueCard(as: partner)
            try await CardBalanceTests.fund(card, amountMinor: 150_050, server: server)
            let pan = try await server.services.store.read { db in
                try await server.services.credentials.secrets.openText(try #require(
                    try await db.queryOne("SELECT pan_sealed FROM payment_cards WHERE card_id = ?", [.text(card)])).blob("pan_sealed"))
            }
            let mask = try #require(try await server.services.store.read { db in
                try await db.queryOne("SELECT card_mask FROM payment_cards WHERE card_id = ?", [.text(card)])?.text("card_mask")
            })
            let browser = try await server.dashboard(client)
            let list = try await browser.get("/dashboard/cards?q=\(String(pan.suffix(4)))")
            #expect(list.status == .ok)
            #expect(list.text.contains(">\(card)</a>") && list.text.contains(mask))
            #expect(list.text.contains("1500.50 KZT"), "available balance from the ledger")
            #expect(list.text.contains("activated"))
            let detail = try await browser.get("/dashboard/cards/\(card)")
            #expect(detail.status == .ok && detail.text.contains("test.topup") && detail.text.contains(clientID))
            for page in [list.text, detail.text, try await browser.get("/dashboard/cards").text] {
                #expect(!page.contains(pan), "the full PAN never reaches the page")
            }
            #expect(try await browser.get("/dashboard/cards/does-not-exist").status == .notFound)
            #expect(try await browser.get("/dashboard/clients").text.contains(clientID))
        }
        await server.cleanUp()
    }

    @Test func rotatingAPartnerSecretShowsTheNewOneOnceAndRetiresTheOld() async throws {
        let server = try await TestServer.make()
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            _ = try await client.addClient(as: partner)
            let browser = try await server.dashboard(client)
            let listing = try await browser.get("/dashboard/partners")
            #expect(listing.text.contains(partner.authID) && !listing.text.contains(partner.secret), "secrets are never listed")
            let rotated = try await browser.post("/dashboard/partners/\(partner.id.rawValue)/rotate", [("csrf", try await browser.csrf())])
            #expect(rotated.status == .ok)
            let secret = try #require(Self.newSecret(in: rotated.text))
            #expect(secret.count == 32 && secret != partner.secret)
            let after = try await browser.get("/dashboard/partners")
            #expect(!after.text.contains(secret), "shown once only")

            let old = try await client.cardAPI("/v5/card-api/client/add", CardBodies.client(), as: partner)
            #expect(old.json["error_code"] as? String == "invalid_signature", "\(old.text)")
            let renewed = Partner(id: partner.id, authID: partner.authID, name: partner.name, secret: secret)
            let added = try await client.addClient(as: renewed)
            #expect(!added.isEmpty)
            #expect(try await browser.post("/dashboard/partners/999999/rotate", [("csrf", try await browser.csrf())]).status == .notFound)
        }
        await server.cleanUp()
    }

    @Test func rotatingAMerchantPaymentSecretLeavesThePayoutSecret() async throws {
        let server = try await TestServer.make()
        let merchant = try await server.createMerchant()
        try await server.withRouter { client in
            let browser = try await server.dashboard(client)
            let csrf = try await browser.csrf()
            let rotated = try await browser.post("/dashboard/merchants/\(merchant.id.rawValue)/rotate", [("csrf", csrf), ("secret", "payment")])
            let secret = try #require(Self.newSecret(in: rotated.text))
            let stored = try #require(try await server.services.store.read { db in
                try await server.services.credentials.merchant(id: merchant.id, in: db)
            })
            #expect(stored.paymentSecret == secret && stored.paymentSecret != merchant.paymentSecret)
            #expect(stored.payoutSecret == merchant.payoutSecret)
            let status = [PGParameter("pg_payment_id", "12345")]
            let old = try await client.merchantAPI("/get_status3.php", status, as: merchant)
            #expect(PGForm.value("pg_error_code", in: old.xml) == "1100", "\(old.text)")
            let fresh = try await client.merchantAPI("/get_status3.php", status, as: stored)
            #expect(PGForm.value("pg_error_code", in: fresh.xml) != "1100", "\(fresh.text)")
            let bad = try await browser.post("/dashboard/merchants/\(merchant.id.rawValue)/rotate", [("csrf", csrf), ("secret", "partner")])
            #expect(bad.status == .badRequest)
        }
        await server.cleanUp()
    }

    @Test func outputIsEscapedAndLongListsArePaged() async throws {
        let server = try await TestServer.make()
        for index in 0..<55 { _ = try await server.createMerchant(name: "Shop \(index)") }
        _ = try await server.createMerchant(name: "<script>alert('x')</script>")
        try await server.withRouter { client in
            let browser = try await server.dashboard(client)
            let first = try await browser.get("/dashboard/merchants")
            #expect(!first.text.contains("<script>alert"))
            #expect(first.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(first.text.components(separatedBy: "class=\"rotate-payment\"").count - 1 == 50)
            #expect(first.text.contains("href=\"/dashboard/merchants?page=1\""))
            let second = try await browser.get("/dashboard/merchants?page=1")
            #expect(second.text.components(separatedBy: "class=\"rotate-payment\"").count - 1 == 6)
            #expect(!second.text.contains("id=\"next\""))
        }
        await server.cleanUp()
    }

    @Test func invariantStatusReflectsTheLedger() async throws {
        let server = try await TestServer.make()
        let partner = try await server.createPartner()
        try await server.withRouter { client in
            let (_, card) = try await client.issueCard(as: partner)
            try await CardBalanceTests.fund(card, amountMinor: 10_000, server: server)
            let browser = try await server.dashboard(client)
            let healthy = try await browser.get("/dashboard/invariants.json")
            #expect(healthy.status == .ok)
            #expect(healthy.json["ok"] as? Bool == true && healthy.json["violation_count"] as? Int == 0)
            let turnover = try #require((healthy.json["turnover"] as? [[String: Any]])?.first)
            #expect(turnover["debits_minor"] as? Int == 10_000 && turnover["credits_minor"] as? Int == 10_000)
            #expect(try await browser.get("/dashboard/invariants").text.contains("class=\"ok\""))

            // Corrupt the stored ledger behind the repository's back: an entry with no counterpart.
            try await server.services.store.write { db in
                let account = try #require(try await db.queryOne(
                    "SELECT id FROM ledger_accounts WHERE account_key = ?", [.text("card:\(card):KZT")])).int("id")
                try await db.execute(
                    "UPDATE ledger_journal SET entries = entries || ? WHERE seq = (SELECT MIN(seq) FROM ledger_journal)", [.text(";\(account):-20000")])
            }
            let broken = try await browser.get("/dashboard/invariants.json")
            #expect(broken.json["ok"] as? Bool == false)
            #expect((broken.json["violation_count"] as? Int ?? 0) >= 2, "unbalanced posting and stored totals off")
            let page = try await browser.get("/dashboard/invariants")
            #expect(page.text.contains("BROKEN") && page.text.contains("off by"))
            #expect(try await browser.get("/dashboard/").text.contains("BROKEN"))
        }
        await server.cleanUp()
    }

    static func newSecret(in html: String) -> String? {
        guard let start = html.range(of: #"id="new-secret">"#) else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }
}

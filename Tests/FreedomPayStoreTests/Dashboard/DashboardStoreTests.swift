import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Testing

/// The dashboard's queries, operator sessions, secret rotation and redelivery on every store: the same
/// portable SQL must give the same answers on SQLite and PostgreSQL.
@Suite struct DashboardStoreTests {
    @Test(arguments: StoreKind.available)
    func listingsShowCardsMaskedWithLedgerBalances(kind: StoreKind) async throws {
        let setup = try await CardStoreTests.setUp(kind)
        let store = setup.fixture.store, queries = DashboardQueries()
        let funded = setup.cards[0].rawValue
        try await store.write { db in
            try await LedgerRepository().post(try Posting.transfer(
                id: "fund", kind: "test.topup", amountMinor: 12_345, from: .external(.kzt), to: .card(funded, .kzt)), in: db)
        }
        try await store.read { db in
            let all = try await queries.cards(search: nil, DashboardPaging(), in: db)
            #expect(all.rows.count == 3 && !all.hasMore)
            let found = try await queries.cards(search: funded, DashboardPaging(), in: db)
            #expect(found.rows.count == 1)
            let row = try #require(found.rows.first).map(\.text)
            #expect(row[0] == funded && row.contains("123.45 KZT") && row.contains { $0.contains("*") })
            let pageOfOne = try await queries.cards(search: nil, DashboardPaging(page: 1, size: 2), in: db)
            #expect(pageOfOne.rows.count == 1 && pageOfOne.page == 1 && !pageOfOne.hasMore)
            let card = try #require(try await queries.card(funded, in: db))
            #expect(card.fields.contains { $0.0 == "Available" && $0.1 == "123.45 KZT" })
            #expect(try await queries.statement(account: card.account, DashboardPaging(), in: db).rows.count == 1)
            #expect(try await queries.clients(DashboardPaging(), in: db).rows.count == 1)
            #expect(try await queries.partners(DashboardPaging(), in: db).rows.count == 2)
            for listing in [try await queries.merchants(DashboardPaging(), in: db), try await queries.transactions(card: funded, DashboardPaging(), in: db),
                            try await queries.payments(DashboardPaging(), in: db), try await queries.payouts(DashboardPaging(), in: db),
                            try await queries.callbacks(subject: nil, DashboardPaging(), in: db), try await queries.messages(DashboardPaging(), in: db)] {
                #expect(listing.rows.isEmpty && !listing.columns.isEmpty)
            }
            #expect(try await queries.counts(in: db).first { $0.0 == "Cards" }?.1 == 3)
            let status = try await LedgerInvariantStatus.check(now: Date(), in: db)
            #expect(status.ok && status.turnover == [.init(currency: "KZT", debitsMinor: 12_345, creditsMinor: 12_345)])
        }
        await setup.fixture.tearDown()
    }

    @Test(arguments: StoreKind.available)
    func operatorSessionsRotationAndRedelivery(kind: StoreKind) async throws {
        let fixture = try await StoreFixture.make(kind)
        let store = fixture.store, operators = OperatorRepository(rounds: 1_000), now = Date(timeIntervalSince1970: 1_740_823_200)
        let credentials = CredentialsRepository(secrets: SecretBox(current: .generate()))
        let session = try await store.write { db in
            let account = try await operators.create(username: "ops", password: "long password", now: now, in: db)
            return try await operators.startSession(for: account, now: now, lifetime: 60, in: db)
        }
        try await store.read { db async throws in
            #expect(try await operators.authenticate(username: "ops", password: "wrong password", in: db) == nil)
            #expect(try await operators.session(token: session.token, now: now, in: db)?.operatorAccount.username == "ops")
            #expect(try await operators.session(token: session.token, now: now.addingTimeInterval(61), in: db) == nil)
        }
        try await store.write { db in try await operators.endSession(token: session.token, in: db) }
        #expect(try await store.read { db in try await operators.session(token: session.token, now: now, in: db) } == nil)

        let partner = try await store.write { db in try await credentials.createPartner(name: "p", in: db) }
        let fresh = try await store.write { db in try await credentials.rotate(.partner, ownerID: partner.id.rawValue, in: db) }
        #expect(try await store.read { db in try await credentials.partner(authID: partner.authID, in: db)?.secret } == fresh)
        #expect(try await store.write { db in try await credentials.rotate(.partner, ownerID: 999_999, in: db) } == nil)

        let merchant = try await store.write { db in try await credentials.createMerchant(name: "m", in: db) }
        let policy = CallbackRetryPolicy(intervalMs: 1_000, windowMs: 2_000)
        let callback = NewCallback(merchantID: merchant.id, secret: .payment, kind: .result, subjectID: "42", url: "http://127.0.0.1:1/r",
                                   method: .post, parameters: [PGParameter("pg_payment_id", "42")], canReject: true)
        let copies = try await store.write { db in
            let original = try await OutboxRepository().enqueue(callback, policy: policy, nowMs: 0, in: db)
            return try await OutboxRepository().redeliver(id: original, policy: policy, nowMs: 5, in: db)
        }
        let rows = try await store.read { db in try await OutboxRepository().callbacks(kind: .result, subjectID: "42", in: db) }
        #expect(rows.count == 2 && rows[1].id == copies && rows[1].delivery.canReject == false && rows[1].delivery.state == .pending)
        #expect(rows[1].callback.parameters == callback.parameters)
        await fixture.tearDown()
    }
}

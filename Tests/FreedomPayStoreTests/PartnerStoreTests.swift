import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Testing

/// The Partner API repositories against every store (SQLite and PostgreSQL): the same SQL must hold on both.
@Suite struct PartnerStoreTests {
    let partner = PartnerID(rawValue: 1)
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    func withPartner(_ kind: StoreKind, _ body: (any Store) async throws -> Void) async throws {
        let fixture = try await StoreFixture.make(kind)
        do {
            try await fixture.store.write { db in
                try await db.execute(
                    "INSERT INTO partners (id, auth_id, name, secret_sealed, created_at) VALUES (1, 'p1', 'P', ?, 0)", [.blob([1, 2, 3])])
            }
            try await body(fixture.store)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }

    @Test(arguments: StoreKind.available)
    func ratesResolveByReceiptOrderAndWindow(kind: StoreKind) async throws {
        try await withPartner(kind) { store in
            let rates = RateRepository()
            let key = RateKey(from: "USD", to: "KZT")
            let exact = Decimal(string: "441.50712345678901234")!
            try await store.write { [now, partner] db in
                try await rates.add([
                    NewRate(key: key, value: exact, startsAt: now, endsAt: nil),
                    NewRate(key: key, value: 450, startsAt: now + 100, endsAt: now + 200),
                    NewRate(key: RateKey(from: "EUR", to: "KZT", type: "p2p", operation: "buy"), value: 480, startsAt: now, endsAt: nil),
                ], partner: partner, receivedAt: now, in: db)
            }
            let (before, inside, after, list) = try await store.read { [now, partner] db in
                (try await rates.rateInForce(partner: partner, from: "USD", to: "KZT", at: now + 50, in: db),
                 try await rates.rateInForce(partner: partner, from: "USD", to: "KZT", at: now + 150, in: db),
                 try await rates.rateInForce(partner: partner, from: "USD", to: "KZT", at: now + 250, in: db),
                 try await rates.ratesInForce(partner: partner, from: nil, to: "KZT", type: nil, operation: nil, at: now + 50, in: db))
            }
            #expect(before?.value == exact)
            #expect(inside?.value == 450)
            #expect(after == nil)
            #expect(list.map(\.key.from) == ["EUR", "USD"])
        }
    }

    @Test(arguments: StoreKind.available)
    func clientsUsersProductsAndGrants(kind: StoreKind) async throws {
        try await withPartner(kind) { store in
            let clients = PartnerClientRepository()
            let company = PartnerCompany(name: "TOO", bin: "123456789012", address: PartnerAddress(
                country: "KAZ", postalCode: "050000", addressLine1: "Almaty", addressLine2: "Abay", addressLine3: "1"))
            let (client, product) = try await store.write { [now, partner] db in
                let id = try await clients.createClient(company, partner: partner, at: now, in: db)
                let client = PartnerClient(id: id, partnerID: partner, name: "TOO")
                let user = try await clients.addUser(PartnerPerson(firstName: "A", lastName: "B", phone: "77011234567", email: "a@b.kz"),
                                                     client: client, at: now, in: db)
                let product = try await clients.addProduct(PartnerProduct(productID: 11001, fields: [:]), client: client, at: now, in: db)
                try await clients.grant(user: user.rawValue, product: product, role: "cashier", at: now, in: db)
                try await clients.grant(user: user.rawValue, product: product, role: "cashier", at: now, in: db)
                return (client, product)
            }
            let (found, byTerminal, byUUID, grants, stranger) = try await store.read { [partner] db in
                (try await clients.client(client.id.rawValue, partner: partner, in: db),
                 try await clients.product(uuid: nil, terminalID: product.registration.terminalID, client: client, in: db),
                 try await clients.product(uuid: product.registration.productUUID, terminalID: nil, client: client, in: db),
                 try await clients.grantCount(user: 1, in: db),
                 try await clients.client(client.id.rawValue, partner: PartnerID(rawValue: 2), in: db))
            }
            #expect(found?.name == "TOO")
            #expect(byTerminal == product && byUUID == product)
            #expect(grants == 1)
            #expect(stranger == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func walletMoneyMovesOnTheLedger(kind: StoreKind) async throws {
        try await withPartner(kind) { store in
            let wallets = WalletRepository()
            let funds = WalletFunds(clock: ManualClock(frozenAt: now))
            let (balances, statement) = try await store.write { [now, partner] db in
                let first = try await wallets.create(partner: partner, identifier: "w1", country: "KAZ", currency: "KZT", at: now, in: db)
                let second = try await wallets.create(partner: partner, identifier: "w2", country: "KAZ", currency: "KZT", at: now, in: db)
                var blocked = try #require(try await wallets.find(partner: partner, identifier: "w2", in: db))
                _ = try await funds.move(.topUp, wallet: first, amount: Money(minorUnits: 10_000, currency: .kzt), correspondent: nil, at: now, in: db)
                _ = try await funds.move(.transfer(to: second), wallet: first, amount: Money(minorUnits: 2_550, currency: .kzt), correspondent: nil, at: now, in: db)
                try blocked.lifecycle.block()
                try await wallets.save(blocked, at: now, in: db)
                return ([try await funds.balanceMinor(first, in: db), try await funds.balanceMinor(second, in: db)],
                        try await funds.statement(first, from: now - 1, to: now + 1, in: db))
            }
            #expect(balances == [7_450, 2_550])
            #expect(statement.map(\.type) == ["emoney_buy", "emoney_transfer"])
            #expect(statement.map(\.amount) == [100, Decimal(string: "-25.5")!])
            let reread = try await store.read { [partner] db in try await wallets.find(partner: partner, identifier: "w2", in: db) }
            #expect(reread?.lifecycle.state == .blocked)
            #expect(try await store.read { db in try await LedgerAudit().violations(in: db) }.isEmpty)
        }
    }
}

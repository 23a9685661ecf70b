import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `card/info`, `card/balance`, `card/secret`, `card/secret_v2` (card-api.md §3.20 [inferred]): reads, never recorded.
/// Only the masked PAN appears in info; the secret endpoints re-encrypt PAN/CVV for the partner.
struct CardReadEndpoints: Sendable {
    let support: CardEndpointSupport

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("card/info", use: info)
        group.post("card/balance", use: balance)
        group.post("card/secret", use: secret)
        group.post("card/secret_v2", use: secretV2)
    }

    func info(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardRequest.self)
        return try await support.read(context) { db, partner in
            let card = try await support.cards.card(CardID(rawValue: body.cardID), partner: partner.id, now: support.now, in: db)
            return CardInfoResponse(
                cardID: card.id.rawValue, clientID: card.clientID?.rawValue ?? "", productID: card.productID, cardMask: card.mask,
                cardStatus: card.status.rawValue, expiry: card.expiry, currency: card.currency, cardToken: card.token,
                pinLocked: PINTryCounter(failedTries: card.pinFailedTries).isLocked, dt: support.dt())
        }
    }

    /// Readable in every status (closed and expired cards included), as §4.3 allows.
    func balance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardRequest.self)
        return try await support.read(context) { db, partner in
            let found = try await support.cards.balance(of: CardID(rawValue: body.cardID), partner: partner.id, now: support.now, in: db)
            let money = { (minor: Int64) in Money(minorUnits: minor, currency: found.balance.account.currency).decimal }
            let account = CardBalanceAccount(
                iban: found.iban, currency: found.balance.account.currency.code, debit: money(found.debitMinor),
                credit: money(found.creditMinor), amount: found.balance.available.decimal, blockedAmount: found.balance.held.decimal)
            return CardBalanceResponse(balances: CardBalances(accounts: [account]), dt: support.dt())
        }
    }

    func secret(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardRequest.self)
        return try await support.read(context) { db, partner in
            let (plain, _) = try await self.plainSecrets(CardID(rawValue: body.cardID), partner: partner.id, in: db)
            let cipher = CardDataCipher(partnerSecret: partner.secret, authID: partner.authID)
            return CardSecretResponse(
                pan: try cipher.seal(plain.pan), expiry: try cipher.seal(plain.expiry), cvv: try cipher.seal(plain.cvv), dt: support.dt())
        }
    }

    func secretV2(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardSecretV2Request.self)
        let key: CardSecretSealing.RSAKey
        do {
            key = try CardSecretSealing.RSAKey(pem: body.publicKey)
        } catch {
            throw CardAPIFailure(error)
        }
        return try await support.read(context) { db, partner in
            let (plain, _) = try await self.plainSecrets(CardID(rawValue: body.cardID), partner: partner.id, in: db)
            return CardSecretV2Response(data: try key.seal(plain), dt: support.dt())
        }
    }

    /// The card's secrets in clear, for an owner's usable card only (closed/expired cards reveal nothing).
    private func plainSecrets(_ id: CardID, partner: PartnerID, in db: any SQLExecutor) async throws -> (CardSecretPlain, CardRecord) {
        let card = try await support.cards.card(id, partner: partner, now: support.now, in: db)
        try CardLifecycle(status: card.status).requireChangeable("secret data request")
        let (pan, cvv) = try support.cards.secrets(of: card)
        return (CardSecretPlain(pan: pan, expiry: card.expiry, cvv: cvv), card)
    }
}

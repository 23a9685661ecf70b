import Foundation
import FreedomPayWire

/// The Payment Cards rules over the store: every function runs inside the caller's transaction and is
/// scoped to one partner, so another partner's ids look exactly like unknown ones.
public struct CardService: Sendable {
    public static let maxBulkCount = 1000
    /// Cards are valid for three years, through the end of the expiry month.
    static let validityYears = 3

    let secrets: SecretBox
    public let clients = ClientRepository()
    public let cards = CardRepository()
    public let limits = LimitRepository()
    /// Every card has one ledger account in its currency, opened at issue.
    public let ledger: LedgerRepository

    public init(secrets: SecretBox, clock: any Clock = SystemClock()) {
        self.secrets = secrets
        self.ledger = LedgerRepository(clock: clock)
    }

    // MARK: Clients

    public func addClient(_ request: ClientAddRequest, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> ClientID {
        let product = try ClientValidation.validate(request)
        return try await clients.insert(request, product: product, partner: partner, now: now, in: db)
    }

    public func updateClient(_ request: ClientUpdateRequest, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        let product = try ClientValidation.product(request.productID)
        try ClientValidation.phone(request.client.phone, field: "client.phone")
        let client = try await client(ClientID(rawValue: request.clientID), partner: partner, in: db)
        guard client.product == product else {
            throw CardRuleError.validation("field 'product_id' must be \(client.product.rawValue), the product the client was created with")
        }
        try await clients.updatePhone(client.id, partner: partner, phone: request.client.phone, now: now, in: db)
    }

    /// Binds a client to a card; a card already bound to another client is refused.
    public func link(client clientID: ClientID, card cardID: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        let client = try await client(clientID, partner: partner, in: db)
        var card = try await cardForChange(cardID, partner: partner, now: now, in: db)
        try CardLifecycle(status: card.status).requireChangeable("link")
        if let holder = card.clientID, holder != client.id {
            throw CardRuleError.invalidCardState("card '\(cardID.rawValue)' is already linked to another client")
        }
        card.clientID = client.id
        try await cards.update(card, now: now, in: db)
    }

    public func client(_ id: ClientID, partner: PartnerID, in db: any SQLExecutor) async throws -> CardClient {
        guard !id.rawValue.isEmpty else { throw CardRuleError.validation("field 'client_id' must not be empty") }
        guard let client = try await clients.find(id, partner: partner, in: db) else {
            throw CardRuleError.clientNotFound("client_id '\(id.rawValue)' is not known for this partner")
        }
        return client
    }

    // MARK: Issuing

    /// What to issue: a virtual or plastic card for a client, or `count` unlinked pre-made cards.
    public struct IssueOrder: Sendable {
        public var kind: CardKind
        public var productID: Int
        public var clientID: ClientID?
        public var count: Int
        public var currency: String?
        public var embossedName: String?
        public var branchID: String?

        public init(kind: CardKind, productID: Int, clientID: ClientID? = nil, count: Int = 1, currency: String? = nil,
                    embossedName: String? = nil, branchID: String? = nil) {
            self.kind = kind
            self.productID = productID
            self.clientID = clientID
            self.count = count
            self.currency = currency
            self.embossedName = embossedName
            self.branchID = branchID
        }
    }

    public func issue(_ order: IssueOrder, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> [CardID] {
        let product = try ClientValidation.product(order.productID)
        guard (1...Self.maxBulkCount).contains(order.count) else {
            throw CardRuleError.validation("field 'count' must be between 1 and \(Self.maxBulkCount)")
        }
        let currency = try ClientValidation.currency(order.currency ?? "KZT", field: "currency")
        if let name = order.embossedName {
            guard !name.isEmpty, name.count <= 26, name.allSatisfy({ ($0.isASCII && $0.isUppercase) || $0 == " " || $0 == "-" || $0 == "." }) else {
                throw CardRuleError.validation("field 'embossed_name' must be 1 to 26 upper-case Latin letters")
            }
        }
        if let clientID = order.clientID {
            let client = try await client(clientID, partner: partner, in: db)
            guard client.product == product else {
                throw CardRuleError.validation("field 'product_id' must be \(client.product.rawValue), the client's product")
            }
        }
        let expiry = Self.expiry(issuedAt: now)
        var issued: [CardID] = []
        for _ in 0..<order.count {
            let id = try await cards.freshID(in: db, excluding: Set(issued.map(\.rawValue)))
            let pan = PAN.generate()
            let card = CardRecord(
                id: id, partnerID: partner, clientID: order.clientID, productID: product.rawValue, kind: order.kind,
                status: CardLifecycle.new(order.kind).status, token: RandomToken.uuid(), mask: PAN.mask(pan),
                panSealed: try secrets.seal(pan), cvvSealed: try secrets.seal(PAN.generateCVV()),
                expiryMonth: expiry.month, expiryYear: expiry.year, currency: currency.code, pinHash: nil, pinFailedTries: 0, createdAt: now)
            try await cards.insert(card, embossedName: order.embossedName, branchID: order.branchID, in: db)
            try await ledger.openAccount(.card(id.rawValue, currency), in: db)
            issued.append(id)
        }
        return issued
    }

    static func expiry(issuedAt now: Date) -> (month: Int, year: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: now)
        return (parts.month ?? 1, (parts.year ?? 2000) + validityYears)
    }

    // MARK: Lifecycle, PIN

    /// Applies one lifecycle event; a refused transition changes nothing.
    @discardableResult
    public func apply(_ event: CardLifecycle.Event, card cardID: CardID, reason: String?, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> CardStatus {
        var card = try await cardForChange(cardID, partner: partner, now: now, in: db)
        var lifecycle = CardLifecycle(status: card.status)
        do {
            card.status = try lifecycle.apply(event)
        } catch {
            throw CardRuleError.invalidCardState(error.message)
        }
        try await cards.update(card, reason: reason, now: now, in: db)
        return card.status
    }

    /// Stores a new PIN (already decrypted) as a salted hash and clears the wrong-PIN counter.
    public func setPIN(_ pin: String, card cardID: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        try PINHash.validate(pin)
        var card = try await cardForChange(cardID, partner: partner, now: now, in: db)
        try CardLifecycle(status: card.status).requireChangeable("PIN change")
        card.pinHash = try PINHash.make(pin)
        card.pinFailedTries = 0
        try await cards.update(card, now: now, in: db)
    }

    public func resetPINCounter(card cardID: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        var card = try await cardForChange(cardID, partner: partner, now: now, in: db)
        try CardLifecycle(status: card.status).requireChangeable("PIN counter reset")
        card.pinFailedTries = 0
        try await cards.update(card, now: now, in: db)
    }

    /// A card-present PIN check (sandbox: what a terminal would do); counts wrong tries and locks after three.
    public func verifyPIN(_ pin: String, card cardID: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> PINTryCounter.Outcome {
        var card = try await cardForChange(cardID, partner: partner, now: now, in: db)
        guard let hash = card.pinHash else { return .noPIN }
        var counter = PINTryCounter(failedTries: card.pinFailedTries)
        let outcome = counter.record(correct: !counter.isLocked && PINHash.verify(pin, against: hash))
        card.pinFailedTries = counter.failedTries
        try await cards.update(card, now: now, in: db)
        return outcome
    }

    // MARK: Reading

    /// The card as the partner sees it now: a card past its expiry month reads as expired.
    public func card(_ id: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> CardRecord {
        guard !id.rawValue.isEmpty else { throw CardRuleError.validation("field 'card_id' must not be empty") }
        guard var card = try await cards.find(id, partner: partner, in: db) else {
            throw CardRuleError.cardNotFound("card_id '\(id.rawValue)' is not known for this partner")
        }
        card.status = card.status(at: now)
        return card
    }

    func cardForChange(_ id: CardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> CardRecord {
        try await card(id, partner: partner, now: now, in: db)
    }

    /// The cleartext PAN and CVV, only for the secret-data endpoints that re-encrypt them for the partner.
    public func secrets(of card: CardRecord) throws -> (pan: String, cvv: String) {
        (try secrets.openText(card.panSealed), try secrets.openText(card.cvvSealed))
    }

    public func cardholderScore(token: String, firstName: String, lastName: String, phone: String, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> CardholderScore {
        guard UUID(uuidString: token) != nil else { throw CardRuleError.validation("field 'card_token' must be a UUID") }
        guard let card = try await cards.find(token: token.lowercased(), partner: partner, in: db) else {
            throw CardRuleError.cardNotFound("card_token '\(token)' is not known for this partner")
        }
        guard let clientID = card.clientID, let holder = try await clients.find(clientID, partner: partner, in: db) else {
            throw CardRuleError.clientNotFound("card '\(card.id.rawValue)' is not linked to a client")
        }
        return CardholderScore(
            firstName: (firstName, holder.firstName), lastName: (lastName, holder.lastName), phone: (phone, String(holder.phone)))
    }

    // MARK: Limits

    /// Checks that the limit target exists and belongs to the partner.
    public func requireTarget(_ target: LimitTarget, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        switch target {
        case .card(let id), .account(let id): _ = try await card(id, partner: partner, now: now, in: db)
        case .client(let id): _ = try await client(id, partner: partner, in: db)
        }
    }

    public func setLimits(_ newLimits: [CardLimit], on target: LimitTarget, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        try await requireTarget(target, partner: partner, now: now, in: db)
        if case .card(let id) = target {
            try CardLifecycle(status: try await card(id, partner: partner, now: now, in: db).status).requireChangeable("limit change")
        }
        try await limits.upsert(newLimits, on: target, partner: partner, now: now, in: db)
    }
}

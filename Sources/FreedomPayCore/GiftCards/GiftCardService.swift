import Foundation
import FreedomPayWire

/// Limits of the confirmation code, configurable per deployment.
public struct GiftCodePolicy: Sendable {
    public var validForSeconds: TimeInterval
    public var maxAttempts: Int
    public var digits: Int

    public init(validForSeconds: TimeInterval = 300, maxAttempts: Int = 3, digits: Int = 4) {
        self.validForSeconds = validForSeconds
        self.maxAttempts = maxAttempts
        self.digits = digits
    }
}

/// Gift-card operations, each inside the caller's store transaction. Funding moves the face value from
/// the partner's settlement account to the card's own account, so a card exists only if it was paid for.
public struct GiftCardService: Sendable {
    public let secrets: SecretBox
    public let policy: GiftCodePolicy
    let ledger: LedgerRepository
    let cards = GiftCardRepository()
    let sms = SMSOutbox()

    public init(secrets: SecretBox, policy: GiftCodePolicy = GiftCodePolicy(), clock: any Clock = SystemClock()) {
        self.secrets = secrets
        self.policy = policy
        self.ledger = LedgerRepository(clock: clock)
    }

    public func products(for partner: PartnerID, in db: any SQLExecutor) async throws -> [GiftProductRecord] {
        try await cards.products(visibleTo: partner, in: db)
    }

    /// Issues a funded, not yet active card and sends its confirmation code to `phone`.
    public func issue(_ request: IssueGiftCardRequest, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> GiftCardID {
        let name = try Self.validName(request.cardholderName)
        let phone = try Self.validPhone(request.phone.digits)
        guard let product = try await cards.product(code: request.productCode, in: db) else {
            throw GiftCardError(.unknownProduct, "product_code \(request.productCode) does not exist")
        }
        if let owner = product.partnerID, owner != partner {
            throw GiftCardError(.accessDenied, "product_code \(request.productCode) is not available to this partner")
        }
        if let wanted = request.cardID, wanted <= 0 { throw GiftCardError(.cardNotFound, "card_id must be a positive integer") }
        let pan = PAN.generate()
        let (code, pending) = PendingCode.issue(digits: policy.digits, validFor: policy.validForSeconds, now: now)
        let id: GiftCardID
        do {
            id = try await cards.insert(
                id: request.cardID.map(GiftCardID.init(rawValue:)), partner: partner, product: product, holderName: name, phone: phone,
                panMask: PAN.mask(pan), panSealed: try secrets.seal(pan), code: pending, now: now, in: db)
        } catch StoreError.uniqueViolation {
            throw GiftCardError(.cardNotFound, "card_id \(request.cardID ?? 0) is already taken")
        }
        let cardAccount = AccountKey.giftCard(String(id.rawValue), product.currency)
        try await ledger.openAccount(cardAccount, in: db)
        do {
            try await ledger.post(
                try Posting.transfer(
                    id: "gift-issue-\(id.rawValue)", kind: "gift.issue", reference: String(id.rawValue), amountMinor: product.faceValueMinor,
                    from: .partnerSettlement(partner, product.currency), to: cardAccount),
                in: db)
        } catch LedgerError.insufficientFunds, LedgerError.unknownAccount {
            let face = Money(minorUnits: product.faceValueMinor, currency: product.currency)
            throw GiftCardError(.insufficientFunds, "the partner's \(product.currency) settlement balance does not cover \(face)")
        }
        try await sendCode(code, card: id, phone: phone, partner: partner, now: now, in: db)
        return id
    }

    /// One confirmation attempt; the card (attempt counter included) is saved whatever the result,
    /// so the caller commits and then reports a failed attempt.
    public func confirm(otp: String, cardID: GiftCardID?, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> (GiftCard, GiftConfirmation) {
        var card: GiftCard
        if let cardID {
            guard let found = try await cards.card(cardID, of: partner, in: db) else {
                throw GiftCardError(.cardNotFound, "card_id \(cardID.rawValue) not found")
            }
            card = found
        } else {
            let candidates = try await cards.pendingCards(of: partner, in: db).filter { $0.code?.matches(otp) == true }
            guard candidates.count == 1, let only = candidates.first else {
                throw GiftCardError(.cardNotFound, "card_id is required: no single unconfirmed card matches this code")
            }
            card = only
        }
        let result = GiftConfirmation.attempt(&card, code: otp, now: now, maxAttempts: policy.maxAttempts)
        try await cards.update(card, in: db)
        return (card, result)
    }

    /// Replaces the pending code with a new one (the old one stops working) and sends it.
    public func resendCode(cardID: GiftCardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        var card = try await owned(cardID, partner: partner, in: db)
        guard card.status == .issued else {
            throw GiftCardError(card.status == .activated ? .alreadyActivated : .generalError, "card \(cardID.rawValue) is not awaiting confirmation")
        }
        let (code, pending) = PendingCode.issue(digits: policy.digits, validFor: policy.validForSeconds, now: now)
        card.code = pending
        try await cards.update(card, in: db)
        try await sendCode(code, card: cardID, phone: card.phone, partner: partner, now: now, in: db)
    }

    /// Re-sends the card's details to the holder (only once activated). Only the masked number is sent.
    public func resendDetails(cardID: GiftCardID, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        let card = try await owned(cardID, partner: partner, in: db)
        guard card.status == .activated else {
            throw GiftCardError(.generalError, "card \(cardID.rawValue) is not activated; confirm it first")
        }
        let balance = try await ledger.balance(of: card.account, in: db)
        try await sms.send(
            partner: partner, phone: card.phone,
            text: "Freedom Pay: gift card \(card.panMask), balance \(balance.available.compactString) \(card.currency.code).", now: now, in: db)
    }

    public func state(cardID: GiftCardID, partner: PartnerID, in db: any SQLExecutor) async throws -> (GiftCard, AccountBalance) {
        let card = try await owned(cardID, partner: partner, in: db)
        return (card, try await ledger.balance(of: card.account, in: db))
    }

    private func owned(_ cardID: GiftCardID, partner: PartnerID, in db: any SQLExecutor) async throws -> GiftCard {
        guard let card = try await cards.card(cardID, of: partner, in: db) else {
            throw GiftCardError(.cardNotFound, "card_id \(cardID.rawValue) not found")
        }
        return card
    }

    private func sendCode(_ code: String, card: GiftCardID, phone: String, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws {
        let minutes = Int((policy.validForSeconds / 60).rounded(.up))
        try await sms.send(
            partner: partner, phone: phone,
            text: "Freedom Pay: code \(code) confirms gift card \(card.rawValue). Valid \(minutes) min.", now: now, in: db)
    }

    static func validName(_ raw: String) throws(GiftCardError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces).uppercased()
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ .'-")
        guard (2...100).contains(name.count), name.allSatisfy({ allowed.contains($0) }), name.first?.isLetter == true else {
            throw GiftCardError(.invalidCardholderName, "cardholder_name must be 2-100 Latin letters (spaces, '.', '-', ' allowed)")
        }
        return name
    }

    static func validPhone(_ digits: String) throws(GiftCardError) -> String {
        guard (10...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else {
            throw GiftCardError(.invalidPhone, "phone must be 10-15 digits with the country code")
        }
        return digits
    }
}

/// Sandbox-only money: credits a partner's settlement account from the outside world.
public struct SandboxFunding: Sendable {
    let ledger: LedgerRepository

    public init(clock: any Clock = SystemClock()) { self.ledger = LedgerRepository(clock: clock) }

    public func fundPartner(_ partner: PartnerID, amount: Money, in db: any SQLExecutor) async throws -> AccountBalance {
        let account = AccountKey.partnerSettlement(partner, amount.currency)
        try await ledger.openAccount(account, in: db)
        try await ledger.post(
            try Posting.transfer(
                id: "sandbox-fund-" + RandomToken.uuid(), kind: "sandbox.fund", reference: String(partner.rawValue),
                amountMinor: amount.minorUnits, from: .external(amount.currency), to: account),
            in: db)
        return try await ledger.balance(of: account, in: db)
    }
}

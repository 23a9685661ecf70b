/// What a ledger account stands for. The owner id and currency complete its key.
public enum AccountKind: String, Sendable, Codable, CaseIterable {
    /// A payment card's funds (Card API).
    case card
    /// A prepaid gift card's funds.
    case giftCard = "gift_card"
    /// An e-money wallet (Partner API).
    case wallet
    /// What the platform owes a merchant (purchases in, payouts and refunds out).
    case merchant
    /// A partner's pre-funded settlement account (funds gift cards, card top-ups).
    case partnerSettlement = "partner_settlement"
    /// Fees earned by the platform.
    case fees
    /// The outside world (card schemes, banks, buyers); the only kind allowed to go negative by default.
    case external
    /// Currency exchange position, one per currency, so a converting posting balances per currency.
    case exchange
}

/// The identity of one ledger account: kind, owner and currency. Its storage key is `kind:owner:currency`.
public struct AccountKey: Hashable, Sendable, CustomStringConvertible {
    public let kind: AccountKind
    public let owner: String
    public let currency: Currency

    public init(kind: AccountKind, owner: String, currency: Currency) {
        self.kind = kind
        self.owner = owner
        self.currency = currency
    }

    public var storageKey: String { "\(kind.rawValue):\(owner):\(currency.code)" }
    public var description: String { storageKey }

    public static func card(_ cardID: String, _ currency: Currency) -> AccountKey { .init(kind: .card, owner: cardID, currency: currency) }
    public static func giftCard(_ cardID: String, _ currency: Currency) -> AccountKey { .init(kind: .giftCard, owner: cardID, currency: currency) }
    public static func wallet(_ walletID: String, _ currency: Currency) -> AccountKey { .init(kind: .wallet, owner: walletID, currency: currency) }
    public static func merchant(_ merchant: MerchantID, _ currency: Currency) -> AccountKey {
        .init(kind: .merchant, owner: String(merchant.rawValue), currency: currency)
    }
    public static func partnerSettlement(_ partner: PartnerID, _ currency: Currency) -> AccountKey {
        .init(kind: .partnerSettlement, owner: String(partner.rawValue), currency: currency)
    }
    public static func fees(_ currency: Currency) -> AccountKey { .init(kind: .fees, owner: "platform", currency: currency) }
    public static func external(_ currency: Currency) -> AccountKey { .init(kind: .external, owner: "world", currency: currency) }
    public static func exchange(_ currency: Currency) -> AccountKey { .init(kind: .exchange, owner: "fx", currency: currency) }

    /// Parses a storage key back; nil for anything malformed or an unknown currency.
    public init?(storageKey: String) {
        let parts = storageKey.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let kind = AccountKind(rawValue: String(parts[0])),
              let currency = Currency(code: String(parts[parts.count - 1])) else { return nil }
        self.init(kind: kind, owner: parts[1..<(parts.count - 1)].joined(separator: ":"), currency: currency)
    }

    /// How far below zero this account may go by default: nil = unbounded (external and exchange), else 0.
    public var defaultOverdraftLimitMinor: Int64? {
        switch kind {
        case .external, .exchange: return nil
        default: return 0
        }
    }
}

/// Posted funds, funds reserved by holds, and what can still be spent.
public struct AccountBalance: Sendable, Equatable {
    public let account: AccountKey
    public let postedMinor: Int64
    public let heldMinor: Int64
    /// How far below zero `available` may go (credit line); nil = unbounded.
    public let overdraftLimitMinor: Int64?

    public init(account: AccountKey, postedMinor: Int64, heldMinor: Int64, overdraftLimitMinor: Int64?) {
        self.account = account
        self.postedMinor = postedMinor
        self.heldMinor = heldMinor
        self.overdraftLimitMinor = overdraftLimitMinor
    }

    public var availableMinor: Int64 { postedMinor - heldMinor }
    public var posted: Money { Money(minorUnits: postedMinor, currency: account.currency) }
    public var held: Money { Money(minorUnits: heldMinor, currency: account.currency) }
    public var available: Money { Money(minorUnits: availableMinor, currency: account.currency) }

    /// Whether `amountMinor` more can be taken out (debited or held) without passing the overdraft limit.
    public func canSpend(_ amountMinor: Int64) -> Bool {
        Self.canSpend(amountMinor, availableMinor: availableMinor, limitMinor: overdraftLimitMinor)
    }

    /// The same check on bare numbers, for the batch path's running balances.
    static func canSpend(_ amountMinor: Int64, availableMinor: Int64, limitMinor: Int64?) -> Bool {
        guard let limit = limitMinor else { return true }
        let (after, overflow) = availableMinor.subtractingReportingOverflow(amountMinor)
        return !overflow && after >= -limit
    }
}

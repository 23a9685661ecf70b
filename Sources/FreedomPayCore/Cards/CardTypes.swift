/// Card id in Freedom Processing (`card_id`, a string of digits on the wire).
public struct CardID: TypedID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// Client (cardholder) id in Freedom Processing (`client_id`).
public struct ClientID: TypedID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// Client products (card-api.md §2.2).
public enum ClientProduct: Int, Sendable, CaseIterable {
    case freedomWalletCard = 1000
    case instantCard = 2000
    case electronCard = 3000

    public var name: String {
        switch self {
        case .freedomWalletCard: return "Freedom Wallet Card"
        case .instantCard: return "Instant Card"
        case .electronCard: return "Electron Card"
        }
    }
}

/// How a card came to be; decides its first state. [inferred] card product dictionary.
public enum CardKind: String, Sendable, CaseIterable {
    /// `card/issue`: usable at once.
    case virtual
    /// `card/issue_plastic`: issued, activated when the holder has it.
    case plastic
    /// `card/bulk_issue`: pre-made, unlinked, activated when handed out.
    case bulk

    public var name: String {
        switch self {
        case .virtual: return "Virtual card"
        case .plastic: return "Plastic card"
        case .bulk: return "Pre-made card (bulk issue)"
        }
    }
}

/// Card status codes (card-api.md §2.8 [inferred], reusing the gift card codes of §2.6).
public enum CardStatus: Int, Sendable, CaseIterable, Codable {
    case unknown = 0
    case issued = 1
    case activated = 2
    case closed = 3
    case blocked = 4
    case expired = 5

    public var name: String {
        switch self {
        case .unknown: return "unknown status"
        case .issued: return "issued"
        case .activated: return "activated"
        case .closed: return "canceled"
        case .blocked: return "blocked"
        case .expired: return "expired"
        }
    }

    /// Closed and expired cards accept no change at all.
    public var isTerminal: Bool { self == .closed || self == .expired }
}

/// A domain refusal of the Payment Cards rules; the server maps each case to its Card API error code.
public enum CardRuleError: Error, Equatable, Sendable {
    /// A field is missing or invalid; the message names it.
    case validation(String)
    /// Unknown client, or another partner's.
    case clientNotFound(String)
    /// Unknown card, or another partner's.
    case cardNotFound(String)
    /// The card's state does not allow the operation.
    case invalidCardState(String)
}

import Foundation

/// A payment card row. PAN and CVV stay sealed (AES-GCM, `SecretBox`) and are opened only for `card/secret`.
public struct CardRecord: Sendable, Equatable {
    public let id: CardID
    public let partnerID: PartnerID
    public var clientID: ClientID?
    public let productID: Int
    public let kind: CardKind
    public var status: CardStatus
    /// UUID used by `external/cardholder_validate`.
    public let token: String
    public let mask: String
    public let panSealed: [UInt8]
    public let cvvSealed: [UInt8]
    public let expiryMonth: Int
    public let expiryYear: Int
    public let currency: String
    public var pinHash: String?
    public var pinFailedTries: Int
    public let createdAt: Date

    /// `MM/YY`.
    public var expiry: String {
        (expiryMonth < 10 ? "0" : "") + "\(expiryMonth)/" + String(format: "%02d", expiryYear % 100)
    }

    /// The status at `now`: a card past its expiry month reads as expired until something terminal happened.
    public func status(at now: Date) -> CardStatus {
        CardExpiry.status(status, month: expiryMonth, year: expiryYear, at: now)
    }
}

/// When a card stops being valid, computed without `Calendar` (every debit asks, inside the store transaction).
public enum CardExpiry {
    /// A stored status as it reads at `now`: past its expiry month a card is expired unless something terminal
    /// happened to it first (the rule of `CardRecord.status(at:)` and `CardState.status(at:)`).
    public static func status(_ stored: CardStatus, month: Int, year: Int, at now: Date) -> CardStatus {
        now >= end(month: month, year: year) && !stored.isTerminal ? .expired : stored
    }

    /// The first instant (UTC) of the month after `month`/`year`: Gregorian day arithmetic for months 1-12 of the
    /// years 1583-9999; anything else goes through `Calendar` as before (it switches to the Julian calendar
    /// before October 1582).
    public static func end(month: Int, year: Int) -> Date {
        guard (1...12).contains(month), (1583...9999).contains(year) else { return calendarEnd(month: month, year: year) }
        let (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1)
        return Date(timeIntervalSince1970: TimeInterval(daysFromEpoch(year: nextYear, month: nextMonth, day: 1) * 86_400))
    }

    /// Days from 1970-01-01 to the given civil date (H. Hinnant's `days_from_civil`).
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The original computation, kept for out-of-range values (and as the reference in tests).
    static func calendarEnd(month: Int, year: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let next = month == 12 ? DateComponents(year: year + 1, month: 1, day: 1) : DateComponents(year: year, month: month + 1, day: 1)
        return calendar.date(from: next) ?? .distantFuture
    }
}

/// What the transaction rules read of a card: no sealed PAN/CVV, no token, no PIN (see `CardRepository.state`).
public struct CardState: Sendable, Equatable {
    public let status: CardStatus
    public let expiryMonth: Int
    public let expiryYear: Int
    public let currency: String
    public let clientID: ClientID?

    public init(status: CardStatus, expiryMonth: Int, expiryYear: Int, currency: String, clientID: ClientID?) {
        self.status = status
        self.expiryMonth = expiryMonth
        self.expiryYear = expiryYear
        self.currency = currency
        self.clientID = clientID
    }

    /// As `CardRecord.status(at:)`.
    public func status(at now: Date) -> CardStatus {
        CardExpiry.status(status, month: expiryMonth, year: expiryYear, at: now)
    }
}

/// `payment_cards` rows, always scoped to the calling partner.
public struct CardRepository: Sendable {
    static let columns = """
        card_id, partner_id, client_id, product_id, kind, status, card_token, card_mask, pan_sealed, cvv_sealed,
        expiry_month, expiry_year, currency, pin_hash, pin_failed_tries, created_at
        """

    public init() {}

    public func find(_ id: CardID, partner: PartnerID, in db: any SQLExecutor) async throws -> CardRecord? {
        try await db.queryOne(
            "SELECT \(Self.columns) FROM payment_cards WHERE card_id = ? AND partner_id = ?" + db.dialect.forUpdate,
            [.text(id.rawValue), .integer(partner.rawValue)]).map(decode)
    }

    /// The columns a debit or credit needs, locked for update like `find`; another partner's card reads as absent.
    public func state(_ id: CardID, partner: PartnerID, in db: any SQLExecutor) async throws -> CardState? {
        guard let row = try await db.queryOne(
            "SELECT kind, status, expiry_month, expiry_year, currency, client_id FROM payment_cards WHERE card_id = ? AND partner_id = ?"
                + db.dialect.forUpdate,
            [.text(id.rawValue), .integer(partner.rawValue)]) else { return nil }
        return try Self.state(row)
    }

    private static func state(_ row: SQLRow) throws -> CardState {
        guard CardKind(rawValue: try row.text("kind")) != nil, let status = CardStatus(rawValue: Int(try row.int("status"))) else {
            throw StoreError.decoding("unknown card kind or status")
        }
        return CardState(
            status: status, expiryMonth: Int(try row.int("expiry_month")), expiryYear: Int(try row.int("expiry_year")),
            currency: try row.text("currency"), clientID: row.optionalText("client_id").map(ClientID.init(rawValue:)))
    }

    /// `state`, and whether the partner set any limit on the card, its account or its client: a debit reads the
    /// limits only then (most cards have none), and this way it learns that with the card instead of another read.
    public func debitState(_ id: CardID, partner: PartnerID, in db: any SQLExecutor) async throws -> (state: CardState, hasLimits: Bool)? {
        // One exact primary-key probe per target (an OR of the three made SQLite read every limit of the partner).
        let probe = "EXISTS (SELECT 1 FROM card_limits l WHERE l.partner_id = c.partner_id AND l.object_type = "
        guard let row = try await db.queryOne(
            """
            SELECT c.kind, c.status, c.expiry_month, c.expiry_year, c.currency, c.client_id,
                CASE WHEN \(probe)'card' AND l.object_value = c.card_id) OR \(probe)'account' AND l.object_value = c.card_id)
                    OR \(probe)'client' AND l.object_value = c.client_id) THEN 1 ELSE 0 END AS has_limits
            FROM payment_cards c WHERE c.card_id = ? AND c.partner_id = ?
            """ + db.dialect.forUpdate,
            [.text(id.rawValue), .integer(partner.rawValue)]) else { return nil }
        return (try Self.state(row), try row.int("has_limits") != 0)
    }

    public func find(token: String, partner: PartnerID, in db: any SQLExecutor) async throws -> CardRecord? {
        try await db.queryOne(
            "SELECT \(Self.columns) FROM payment_cards WHERE card_token = ? AND partner_id = ?",
            [.text(token), .integer(partner.rawValue)]).map(decode)
    }

    /// One page of a client's cards, oldest first, and the total count.
    public func list(client: ClientID, partner: PartnerID, offset: Int, limit: Int, in db: any SQLExecutor) async throws -> (cards: [CardRecord], total: Int) {
        let binds: [SQLValue] = [.text(client.rawValue), .integer(partner.rawValue)]
        let total = try await db.queryOne(
            "SELECT COUNT(*) AS n FROM payment_cards WHERE client_id = ? AND partner_id = ?", binds)?.int("n") ?? 0
        let rows = try await db.query(
            "SELECT \(Self.columns) FROM payment_cards WHERE client_id = ? AND partner_id = ? ORDER BY created_at, card_id LIMIT ? OFFSET ?",
            binds + [SQLValue(limit), SQLValue(offset)])
        return (try rows.map(decode), Int(total))
    }

    public func insert(_ card: CardRecord, embossedName: String?, branchID: String?, in db: any SQLExecutor) async throws {
        let timestamp = Int64(card.createdAt.timeIntervalSince1970)
        try await db.execute(
            """
            INSERT INTO payment_cards (card_id, partner_id, client_id, product_id, kind, status, card_token, card_mask, pan_sealed,
                cvv_sealed, expiry_month, expiry_year, currency, embossed_name, branch_id, pin_failed_tries, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            """,
            [.text(card.id.rawValue), .integer(card.partnerID.rawValue), SQLValue(card.clientID?.rawValue), SQLValue(card.productID),
             .text(card.kind.rawValue), SQLValue(card.status.rawValue), .text(card.token), .text(card.mask), .blob(card.panSealed),
             .blob(card.cvvSealed), SQLValue(card.expiryMonth), SQLValue(card.expiryYear), .text(card.currency),
             SQLValue(embossedName), SQLValue(branchID), .integer(timestamp), .integer(timestamp)])
    }

    /// Writes the mutable parts of a card (status, holder, PIN hash and counter).
    public func update(_ card: CardRecord, reason: String? = nil, now: Date, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            UPDATE payment_cards SET status = ?, client_id = ?, pin_hash = ?, pin_failed_tries = ?,
                status_reason = COALESCE(?, status_reason), updated_at = ?
            WHERE card_id = ? AND partner_id = ?
            """,
            [SQLValue(card.status.rawValue), SQLValue(card.clientID?.rawValue), SQLValue(card.pinHash), SQLValue(card.pinFailedTries),
             SQLValue(reason), .integer(Int64(now.timeIntervalSince1970)), .text(card.id.rawValue), .integer(card.partnerID.rawValue)])
    }

    /// A fresh 8-digit card id not used yet.
    public func freshID(in db: any SQLExecutor, excluding taken: Set<String> = []) async throws -> CardID {
        for _ in 0..<16 {
            let candidate = RandomToken.digits(8)
            if taken.contains(candidate) { continue }
            if try await db.queryOne("SELECT card_id FROM payment_cards WHERE card_id = ?", [.text(candidate)]) == nil {
                return CardID(rawValue: candidate)
            }
        }
        throw StoreError.failed("could not find a free card_id")
    }

    private func decode(_ row: SQLRow) throws -> CardRecord {
        guard let kind = CardKind(rawValue: try row.text("kind")), let status = CardStatus(rawValue: Int(try row.int("status"))) else {
            throw StoreError.decoding("unknown card kind or status")
        }
        return CardRecord(
            id: CardID(rawValue: try row.text("card_id")), partnerID: PartnerID(rawValue: try row.int("partner_id")),
            clientID: row.optionalText("client_id").map(ClientID.init(rawValue:)), productID: Int(try row.int("product_id")),
            kind: kind, status: status, token: try row.text("card_token"), mask: try row.text("card_mask"),
            panSealed: try row.blob("pan_sealed"), cvvSealed: try row.blob("cvv_sealed"),
            expiryMonth: Int(try row.int("expiry_month")), expiryYear: Int(try row.int("expiry_year")),
            currency: try row.text("currency"), pinHash: row.optionalText("pin_hash"),
            pinFailedTries: Int(try row.int("pin_failed_tries")),
            createdAt: Date(timeIntervalSince1970: TimeInterval(try row.int("created_at"))))
    }
}

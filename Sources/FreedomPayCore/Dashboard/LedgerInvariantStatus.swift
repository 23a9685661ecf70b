import Foundation

/// The ledger's invariants as the dashboard shows them live: per currency, all debits equal all credits;
/// `LedgerAudit` finds no unbalanced posting, no account whose totals disagree with its rows, and no
/// available balance below its limit.
public struct LedgerInvariantStatus: Sendable, Codable, Equatable {
    public struct Turnover: Sendable, Codable, Equatable {
        public let currency: String
        public let debitsMinor: Int64
        public let creditsMinor: Int64
        public var balanced: Bool { debitsMinor == creditsMinor }

        enum CodingKeys: String, CodingKey {
            case currency, balanced
            case debitsMinor = "debits_minor"
            case creditsMinor = "credits_minor"
        }

        public init(currency: String, debitsMinor: Int64, creditsMinor: Int64) {
            self.currency = currency
            self.debitsMinor = debitsMinor
            self.creditsMinor = creditsMinor
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(currency: try container.decode(String.self, forKey: .currency),
                      debitsMinor: try container.decode(Int64.self, forKey: .debitsMinor),
                      creditsMinor: try container.decode(Int64.self, forKey: .creditsMinor))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(currency, forKey: .currency)
            try container.encode(debitsMinor, forKey: .debitsMinor)
            try container.encode(creditsMinor, forKey: .creditsMinor)
            try container.encode(balanced, forKey: .balanced)
        }
    }

    public let ok: Bool
    public let checkedAt: String
    public let turnover: [Turnover]
    /// At most 100 violations are listed (the count is complete).
    public let violations: [String]
    public let violationCount: Int

    enum CodingKeys: String, CodingKey {
        case ok, turnover, violations
        case checkedAt = "checked_at"
        case violationCount = "violation_count"
    }

    /// Checks the whole ledger in one read snapshot. Turnover comes from the accounts' running totals,
    /// which `LedgerAudit` checks against the journal.
    public static func check(now: Date, in db: any SQLExecutor) async throws -> LedgerInvariantStatus {
        let rows = try await db.query(
            """
            SELECT currency, CAST(SUM(debited_minor) AS BIGINT) AS debits, CAST(SUM(credited_minor) AS BIGINT) AS credits
            FROM ledger_accounts GROUP BY currency HAVING SUM(debited_minor) <> 0 OR SUM(credited_minor) <> 0 ORDER BY currency
            """, [])
        let turnover = try rows.map { row in
            Turnover(currency: try row.text("currency"), debitsMinor: try row.int("debits"), creditsMinor: try row.int("credits"))
        }
        let violations = try await LedgerAudit().violations(in: db)
        return LedgerInvariantStatus(
            ok: violations.isEmpty && turnover.allSatisfy(\.balanced), checkedAt: DashboardFormat.time(now.timeIntervalSince1970),
            turnover: turnover, violations: violations.prefix(100).map(\.description), violationCount: violations.count)
    }
}

import Crypto
import Foundation

/// A person allowed into the operator dashboard. Not a partner or merchant: operators see every tenant.
public struct DashboardOperator: Sendable, Equatable {
    public let id: Int64
    public let username: String
}

/// A logged-in dashboard session. `token` is the cookie value (only its SHA-256 is stored); the CSRF token
/// is derived from it, so a form posted from another site, which cannot read the cookie, cannot forge one.
public struct DashboardSession: Sendable {
    public let token: String
    public let operatorAccount: DashboardOperator
    public let expiresAt: Date

    /// HMAC-SHA256 of a fixed label under the session token: tied to this session, stored nowhere.
    public var csrfToken: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("dashboard-csrf".utf8), using: SymmetricKey(data: Array(token.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Constant-time comparison of a submitted CSRF token with this session's.
    public func acceptsCSRF(_ submitted: String?) -> Bool {
        let expected = Array(csrfToken.utf8), given = Array((submitted ?? "").utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

public enum OperatorError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUsername
    case weakPassword
    case usernameTaken

    public var description: String {
        switch self {
        case .invalidUsername: return "username must be 1-64 letters, digits, '.', '_' or '-'"
        case .weakPassword: return "password must be at least 8 characters"
        case .usernameTaken: return "an operator with this username already exists"
        }
    }
}

/// Operators and their sessions. Passwords are salted PBKDF2-HMAC-SHA256 (the same format as PIN hashes,
/// with more rounds); session tokens are 256-bit random values kept only as their SHA-256.
public struct OperatorRepository: Sendable {
    public static let passwordRounds = 210_000
    public let rounds: Int

    public init(rounds: Int = passwordRounds) { self.rounds = rounds }

    @discardableResult
    public func create(username: String, password: String, now: Date, in db: any SQLExecutor) async throws -> DashboardOperator {
        guard (1...64).contains(username.count),
              username.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) })
        else { throw OperatorError.invalidUsername }
        guard password.count >= 8 else { throw OperatorError.weakPassword }
        if try await db.queryOne("SELECT id FROM dashboard_operators WHERE username = ?", [.text(username)]) != nil {
            throw OperatorError.usernameTaken
        }
        let rows = try await db.query(
            "INSERT INTO dashboard_operators (username, password_hash, created_at) VALUES (?, ?, ?) RETURNING id",
            [.text(username), .text(try PINHash.make(password, rounds: rounds)), .integer(Int64(now.timeIntervalSince1970))])
        guard let id = rows.first?.optionalInt("id") else { throw StoreError.failed("operator insert returned no id") }
        return DashboardOperator(id: id, username: username)
    }

    public func count(in db: any SQLExecutor) async throws -> Int64 {
        try await db.queryOne("SELECT COUNT(*) AS n FROM dashboard_operators", [])?.int("n") ?? 0
    }

    /// The operator when `password` matches; nil for an unknown user or a wrong password (same answer).
    public func authenticate(username: String, password: String, in db: any SQLExecutor) async throws -> DashboardOperator? {
        guard let row = try await db.queryOne(
            "SELECT id, username, password_hash FROM dashboard_operators WHERE username = ?", [.text(username)]) else {
            _ = try? PINHash.make(password, rounds: rounds)  // same work either way: no user-enumeration by timing
            return nil
        }
        guard PINHash.verify(password, against: try row.text("password_hash")) else { return nil }
        return DashboardOperator(id: try row.int("id"), username: try row.text("username"))
    }

    /// Starts a session lasting `lifetime` seconds; expired sessions are swept at the same time.
    public func startSession(for account: DashboardOperator, now: Date, lifetime: TimeInterval, in db: any SQLExecutor) async throws -> DashboardSession {
        let token = Self.newToken()
        let expires = now.addingTimeInterval(lifetime)
        try await db.execute("DELETE FROM dashboard_sessions WHERE expires_at <= ?", [.integer(Int64(now.timeIntervalSince1970))])
        try await db.execute(
            "INSERT INTO dashboard_sessions (token_hash, operator_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
            [.text(Self.hash(token)), .integer(account.id), .integer(Int64(expires.timeIntervalSince1970)),
             .integer(Int64(now.timeIntervalSince1970))])
        return DashboardSession(token: token, operatorAccount: account, expiresAt: expires)
    }

    /// The live session for a cookie token, or nil (unknown, expired or logged out).
    public func session(token: String, now: Date, in db: any SQLExecutor) async throws -> DashboardSession? {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        guard let row = try await db.queryOne(
            """
            SELECT s.expires_at, o.id, o.username FROM dashboard_sessions s JOIN dashboard_operators o ON o.id = s.operator_id
            WHERE s.token_hash = ? AND s.expires_at > ?
            """, [.text(Self.hash(token)), .integer(Int64(now.timeIntervalSince1970))]) else { return nil }
        return DashboardSession(
            token: token, operatorAccount: DashboardOperator(id: try row.int("id"), username: try row.text("username")),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(try row.int("expires_at"))))
    }

    public func endSession(token: String, in db: any SQLExecutor) async throws {
        try await db.execute("DELETE FROM dashboard_sessions WHERE token_hash = ?", [.text(Self.hash(token))])
    }

    static func newToken() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

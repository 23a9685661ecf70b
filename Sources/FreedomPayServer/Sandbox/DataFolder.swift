import Foundation
import FreedomPayCore

/// The files the server keeps in its data folder besides the database.
public enum DataFolder {
    /// The key for secrets at rest: from configuration; else the one in the data folder; else, in sandbox
    /// mode only, a new one written there (mode 0600). Production without a key refuses to start.
    public static func encryptionKey(_ configuration: ServerConfiguration) throws -> SecretBox.Key {
        if let encoded = configuration.encryptionKey, !encoded.isEmpty { return try SecretBox.Key(encoded: encoded) }
        let path = configuration.keyFilePath
        if let stored = try? String(contentsOfFile: path, encoding: .utf8) {
            return try SecretBox.Key(encoded: stored.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard configuration.sandbox else {
            throw SecretBoxError.invalidKey("no encryption key: pass --encryption-key or FREEDOMPAY_ENCRYPTION_KEY (outside sandbox mode)")
        }
        let key = SecretBox.Key.generate()
        FileManager.default.createFile(atPath: path, contents: Data((key.encoded + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return key
    }
}

/// The demo credentials of a sandbox, in the exact shape of `sandbox-credentials.json`.
public struct SandboxCredentials: Codable, Sendable, Equatable {
    public var authID: String?
    public var secret: String?
    public var merchantID: String?
    public var paymentSecret: String?
    public var payoutSecret: String?

    public init(partner: Partner? = nil, merchant: Merchant? = nil) {
        authID = partner?.authID
        secret = partner?.secret
        merchantID = merchant.map { String($0.id.rawValue) }
        paymentSecret = merchant?.paymentSecret
        payoutSecret = merchant?.payoutSecret
    }

    enum CodingKeys: String, CodingKey {
        case authID = "auth_id"
        case secret
        case merchantID = "merchant_id"
        case paymentSecret = "payment_secret"
        case payoutSecret = "payout_secret"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

public enum SandboxBootstrap {
    /// On the first sandbox start (no credentials file yet), creates a demo partner and a demo merchant
    /// and writes their credentials; later starts read the file back. Returns nil outside sandbox mode.
    public static func demoCredentials(services: AppServices) async throws -> SandboxCredentials? {
        guard services.configuration.sandbox else { return nil }
        try await DashboardBootstrap.sandboxOperator(services: services)
        let path = services.configuration.credentialsFilePath
        if let data = FileManager.default.contents(atPath: path),
           let stored = try? JSONDecoder().decode(SandboxCredentials.self, from: data) {
            return stored
        }
        let credentials = try await services.store.write { db in
            let partner = try await services.credentials.createPartner(name: "Sandbox demo partner", in: db)
            let merchant = try await services.credentials.createMerchant(name: "Sandbox demo merchant", in: db)
            return SandboxCredentials(partner: partner, merchant: merchant)
        }
        FileManager.default.createFile(atPath: path, contents: Data((credentials.json() + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return credentials
    }
}

/// The sandbox clock's offset, kept in the data folder so a restart does not travel back in time.
public enum SandboxClockFile {
    static func path(_ configuration: ServerConfiguration) -> String {
        (configuration.dataDirectory as NSString).appendingPathComponent("sandbox-clock-offset")
    }

    /// The clock a sandbox server runs on: real time plus the saved offset.
    public static func clock(_ configuration: ServerConfiguration) -> ManualClock {
        let clock = ManualClock()
        if let text = try? String(contentsOfFile: path(configuration), encoding: .utf8),
           let seconds = TimeInterval(text.trimmingCharacters(in: .whitespacesAndNewlines)), seconds > 0 {
            clock.advance(by: seconds)
        }
        return clock
    }

    static func save(offsetSeconds: TimeInterval, configuration: ServerConfiguration) throws {
        try String(Int64(offsetSeconds)).write(toFile: path(configuration), atomically: true, encoding: .utf8)
    }
}

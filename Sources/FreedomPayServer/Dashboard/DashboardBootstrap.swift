import Foundation
import FreedomPayCore

/// The first operator of a sandbox, so a fresh sandbox has a dashboard login without any set-up:
/// username `admin`, password from `FREEDOMPAY_OPERATOR_PASSWORD`, else a random one written (mode 0600) to
/// `dashboard-operator.json` next to `sandbox-credentials.json`. Only when no operator exists yet; production
/// servers get operators from `freedompay operators create` only.
public enum DashboardBootstrap {
    public static let username = "admin"

    public static func filePath(_ configuration: ServerConfiguration) -> String {
        (configuration.dataDirectory as NSString).appendingPathComponent("dashboard-operator.json")
    }

    public static func sandboxOperator(services: AppServices, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        guard services.configuration.sandbox else { return }
        let given = environment["FREEDOMPAY_OPERATOR_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let password = given ?? RandomToken.alphanumeric(20)
        let now = services.clock.now()
        let created: Bool
        do {
            created = try await services.store.write { db -> Bool in
                let operators = OperatorRepository()
                guard try await operators.count(in: db) == 0 else { return false }
                try await operators.create(username: username, password: password, now: now, in: db)
                return true
            }
        } catch OperatorError.usernameTaken, StoreError.uniqueViolation {
            created = false  // another instance sharing the database created it first
        }
        guard created else { return }
        if given == nil {
            let json = "{\"username\": \"\(username)\", \"password\": \"\(password)\"}\n"
            FileManager.default.createFile(atPath: filePath(services.configuration), contents: Data(json.utf8),
                                           attributes: [.posixPermissions: 0o600])
        }
        FileHandle.standardOutput.write(Data("""
            Dashboard: \(services.configuration.baseURL)/dashboard/ (operator '\(username)', password \
            \(given == nil ? "in \(filePath(services.configuration))" : "from FREEDOMPAY_OPERATOR_PASSWORD"))

            """.utf8))
    }
}

import ArgumentParser
import Foundation
import FreedomPayCore
import FreedomPayServer
import Logging

enum Provisioning {
    static func services(_ data: DataOptions) async throws -> AppServices {
        var logger = Logger(label: "freedompay")
        logger.logLevel = .warning
        var configuration = ServerConfiguration(dataDirectory: data.data, sandbox: data.sandbox, encryptionKey: data.encryptionKey)
        configuration.postgresURL = data.postgres
        return try await FreedomPayApplication.makeServices(configuration: configuration, logger: logger)
    }
}

struct Partners: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage Card API / Partner API partners.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Provision a partner and print its auth_id and secret.")
        @OptionGroup var data: DataOptions
        @Option(help: "Display name.") var name: String = "Partner"
        @Flag(help: "Print JSON {\"auth_id\",\"secret\"}.") var json = false

        func run() async throws {
            let services = try await Provisioning.services(data)
            let partner = try await services.store.write { db in try await services.credentials.createPartner(name: name, in: db) }
            try await services.store.close()
            let credentials = SandboxCredentials(partner: partner)
            print(json ? credentials.json() : "auth_id=\(partner.authID) secret=\(partner.secret)")
        }
    }
}

struct Merchants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage Merchant API merchants.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Provision a merchant and print its id and secrets.")
        @OptionGroup var data: DataOptions
        @Option(help: "Display name.") var name: String = "Merchant"
        @Flag(help: "Print JSON {\"merchant_id\",\"payment_secret\",\"payout_secret\"}.") var json = false

        func run() async throws {
            let services = try await Provisioning.services(data)
            let merchant = try await services.store.write { db in try await services.credentials.createMerchant(name: name, in: db) }
            try await services.store.close()
            let credentials = SandboxCredentials(merchant: merchant)
            print(json ? credentials.json()
                  : "merchant_id=\(merchant.id.rawValue) payment_secret=\(merchant.paymentSecret) payout_secret=\(merchant.payoutSecret)")
        }
    }
}

import ArgumentParser
import Foundation
import FreedomPayCore
import FreedomPayServer

/// Dashboard operators: the people who log in to `/dashboard/` (not partners or merchants).
struct Operators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage dashboard operators.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an operator; the password is read from standard input (never a flag, so it stays out of shell history).")
        @OptionGroup var data: DataOptions
        @Option(help: "Login name (letters, digits, '.', '_', '-').") var username: String
        @Flag(help: "Read the password from the first line of standard input (required).") var passwordStdin = false

        func run() async throws {
            guard passwordStdin else { throw ValidationError("pass --password-stdin and the password on standard input") }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            let services = try await Provisioning.services(data)
            let now = services.clock.now()
            do {
                try await services.store.write { db in
                    try await OperatorRepository().create(username: username, password: line, now: now, in: db)
                }
            } catch let error as OperatorError {
                try await services.store.close()
                throw ValidationError(error.description)
            }
            try await services.store.close()
            print("operator \(username) created")
        }
    }
}

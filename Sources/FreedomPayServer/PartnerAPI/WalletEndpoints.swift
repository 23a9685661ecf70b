import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// E-Money wallets (partner-api.md §3.9–§3.16): open, identify the owner, read, block, close.
/// Errors here carry `error_code` as a string and `request_status` as a digit (`PartnerAPIFailure`).
struct WalletEndpoints: Sendable {
    let services: AppServices
    let wallets = WalletRepository()
    var funds: WalletFunds { WalletFunds(clock: services.clock) }
    var execution: PartnerAPIExecution { PartnerAPIExecution(services: services) }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("wallet/add", use: add)
        group.post("wallet/identification", use: identify)
        group.post("wallet/info", use: info)
        group.post("wallet/block", use: block)
        group.post("wallet/close", use: close)
        group.post("wallet/balance", use: balance)
        group.post("wallet/statement", use: statement)
        group.post("wallet/request/status", use: requestStatus)
        WalletMoneyEndpoints(services: services).register(on: group)
    }

    /// `POST /v5/partner/wallet/add`: 1003 when the partner already has a wallet with that identifier.
    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletAddRequest.self)
        let country = body.country
        guard (country.count == 2 || country.count == 3), country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw PartnerAPIFailure(.invalidInput, "field 'country' must be an alpha-3 (or alpha-2) country code")
        }
        guard Currency(code: body.currency) != nil else {
            throw PartnerAPIFailure(.invalidInput, "field 'currency' must be a supported ISO-4217 alpha-3 code")
        }
        if let identifier = body.identifier { try Self.checkIdentifier(identifier) }
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .emoney, kind: "wallet.add") { db, partner in
            let identifier = body.identifier ?? WalletRepository.newIdentifier()
            guard try await wallets.find(partner: partner.id, identifier: identifier, in: db) == nil else {
                throw PartnerAPIFailure(.walletExists, "A wallet with this identifier has already been created: '\(identifier)'")
            }
            let wallet = try await wallets.create(
                partner: partner.id, identifier: identifier, country: country, currency: body.currency, at: now, in: db)
            try await funds.open(wallet, in: db)
            return Self.result(EMoneyResponse(identifier: wallet.identifier))
        }
    }

    /// `POST /v5/partner/wallet/identification` [inferred]: only the owner's name is kept, never document numbers.
    @Sendable func identify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletIdentificationRequest.self)
        try Self.validate(body.owner)
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .emoney, kind: "wallet.identification") { db, partner in
            var wallet = try await walletOrRefuse(body.identifier, partner: partner, db: db)
            try Self.apply { try wallet.lifecycle.identify() }
            let name = [body.owner.lastName, body.owner.firstName, body.owner.middleName].compactMap { $0 }.joined(separator: " ")
            try await wallets.save(wallet, ownerName: name, at: now, in: db)
            return Self.result(EMoneyResponse(identifier: wallet.identifier))
        }
    }

    @Sendable func block(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeState(context: context, kind: "wallet.block") { wallet, _, _ in
            try Self.apply { try wallet.lifecycle.block() }
        }
    }

    /// `POST /v5/partner/wallet/close` [inferred]: 1005 while money remains on the wallet, 1007 when already closed.
    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeState(context: context, kind: "wallet.close") { wallet, db, funds in
            let balance = try await funds.balanceMinor(wallet, in: db)
            try Self.apply { try wallet.lifecycle.close(balanceMinor: balance) }
        }
    }

    /// Block and Close share their body and envelope; only the lifecycle event differs.
    private func changeState(
        context: AppRequestContext, kind: String,
        event: @escaping @Sendable (inout Wallet, any SQLExecutor, WalletFunds) async throws -> Void
    ) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletStateChangeRequest.self)
        guard !body.description.isEmpty, body.description.count <= 255 else {
            throw PartnerAPIFailure(.invalidInput, "field 'description' must be 1 to 255 characters")
        }
        let now = services.clock.now()
        let funds = self.funds
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .emoney, kind: kind) { db, partner in
            var wallet = try await walletOrRefuse(body.identifier, partner: partner, db: db)
            try await event(&wallet, db, funds)
            try await wallets.save(wallet, at: now, in: db)
            return Self.result(EMoneyResponse(identifier: wallet.identifier))
        }
    }

    /// `POST /v5/partner/wallet/info` [inferred]: answers for closed wallets too.
    @Sendable func info(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletLookupRequest.self)
        let wallet = try await readable(body.identifier, action: .info, context: context)
        return Self.answer(EMoneyResponse(identifier: wallet.identifier, wallet: wallet.info), now: services.clock.now())
    }

    /// `POST /v5/partner/wallet/balance` [inferred]: the posted ledger balance; a closed wallet answers 1007.
    @Sendable func balance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletLookupRequest.self)
        let wallet = try await readable(body.identifier, action: .balance, context: context)
        let money = try await services.store.read { [funds] db in try await funds.balance(wallet, in: db) }
        return Self.answer(
            EMoneyResponse(identifier: wallet.identifier, balance: money.decimal, currency: money.currency.code), now: services.clock.now())
    }

    /// `POST /v5/partner/wallet/statement`: operations from the ledger between `start_date` and `end_date`.
    @Sendable func statement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletStatementRequest.self)
        let now = services.clock.now()
        let from = try body.startDate.map { try Self.date($0, field: "start_date") } ?? Date(timeIntervalSince1970: 0)
        let to = try body.endDate.map { try Self.date($0, field: "end_date") } ?? now.addingTimeInterval(1)
        guard from <= to else { throw PartnerAPIFailure(.invalidInput, "field 'end_date' must not be before start_date") }
        let wallet = try await readable(body.identifier, action: .statement, context: context)
        let operations = try await services.store.read { [funds] db in try await funds.statement(wallet, from: from, to: to, in: db) }
        return Self.answer(EMoneyResponse(operations: operations, errorCode: "", errorDescription: ""), now: now)
    }

    /// `POST /v5/partner/wallet/request/status` [inferred]: 1006 for an id this partner never used on E-Money.
    @Sendable func requestStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(PartnerRequestStatusRequest.self)
        let partner = try context.partner()
        let record = try await services.store.read { db in
            try await services.requests.find(partner: partner.id, requestID: FreedomPayCore.RequestID(rawValue: body.requestID), in: db)
        }
        guard let record, record.api == .emoney else {
            throw PartnerAPIFailure(.requestNotFound, "Request with this identifier not found: '\(body.requestID)'")
        }
        let now = services.clock.now()
        let status = record.observedStatus(at: now)
        var answer = EMoneyResponse(identifier: record.outcome.extra?["identifier"], rrn: record.outcome.extra?["rrn"])
        if status == .error {
            answer.errorCode = record.outcome.errorCode
            answer.errorDescription = record.outcome.errorDescription
        }
        answer.status = "ok"
        answer.requestStatus = EMoneyRequestStatus(status)
        answer.dt = WireDate.rfc3339(now)
        return JSONBody.response(answer)
    }

    // MARK: Helpers

    /// A wallet of the calling partner that allows `action`; 1004 when unknown (or another partner's).
    private func readable(_ identifier: String, action: WalletAction, context: AppRequestContext) async throws -> Wallet {
        let partner = try context.partner()
        let wallet = try await services.store.read { db in try await wallets.find(partner: partner.id, identifier: identifier, in: db) }
        guard let wallet else { throw Self.notFound(identifier) }
        try Self.apply { try wallet.lifecycle.check(action) }
        return wallet
    }

    func walletOrRefuse(_ identifier: String, partner: Partner, db: any SQLExecutor) async throws -> Wallet {
        guard let wallet = try await wallets.find(partner: partner.id, identifier: identifier, in: db) else { throw Self.notFound(identifier) }
        return wallet
    }

    static func notFound(_ identifier: String) -> PartnerAPIFailure {
        PartnerAPIFailure(.walletNotFound, "Wallet with this identifier not found: '\(identifier)'")
    }

    /// Runs a lifecycle event, answering a `WalletRefusal` with its E-Money code.
    static func apply(_ event: () throws -> Void) throws {
        do { try event() } catch let refusal as WalletRefusal { throw PartnerAPIFailure(refusal.code, refusal.message) }
    }

    static func result(_ answer: EMoneyResponse, rrn: String? = nil) -> PartnerAPIResult<EMoneyResponse> {
        var extra: [String: String] = [:]
        extra["identifier"] = answer.identifier
        extra["rrn"] = rrn
        return PartnerAPIResult(outcome: RequestOutcome(extra: extra), answer: answer)
    }

    /// A read answer: final at once (`request_status` `"0"`).
    static func answer(_ answer: EMoneyResponse, now: Date) -> Response {
        var answer = answer
        answer.status = "ok"
        answer.requestStatus = .success
        answer.dt = WireDate.rfc3339(now)
        return JSONBody.response(answer)
    }

    static func checkIdentifier(_ identifier: String) throws(PartnerAPIFailure) {
        let allowed = identifier.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_+.".unicodeScalars.contains($0)) }
        guard !identifier.isEmpty, identifier.count <= 64, allowed else {
            throw PartnerAPIFailure(.invalidInput, "field 'identifier' must be 1 to 64 letters, digits or -_+.")
        }
    }

    static func validate(_ owner: WalletOwner) throws(PartnerAPIFailure) {
        guard !owner.firstName.isEmpty, !owner.lastName.isEmpty else {
            throw PartnerAPIFailure(.invalidInput, "fields 'owner.first_name' and 'owner.last_name' must not be empty")
        }
        guard owner.iin.count == 12, owner.iin.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PartnerAPIFailure(.invalidInput, "field 'owner.iin' must be 12 digits")
        }
        for (field, value) in [("owner.birthdate", owner.birthdate), ("owner.document.issue_date", owner.document.issueDate)] {
            guard WireDate.parsePlain(value + " 00:00:00", timeZone: RateBook.timeZone) != nil else {
                throw PartnerAPIFailure(.invalidInput, "field '\(field)' must be 'YYYY-MM-DD'")
            }
        }
        guard !owner.document.type.isEmpty, !owner.document.number.isEmpty else {
            throw PartnerAPIFailure(.invalidInput, "fields 'owner.document.type' and 'owner.document.number' must not be empty")
        }
    }

    static func date(_ text: String, field: String) throws(PartnerAPIFailure) -> Date {
        guard let date = WireDate.parseRFC3339(text) else { throw PartnerAPIFailure(.invalidInput, "field '\(field)' must be an RFC 3339 date-time") }
        return date
    }
}

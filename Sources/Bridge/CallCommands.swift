import APICommands
import Causes

/// `show calls`, `show calls count`, `uuid_kill <uuid> [cause]`, `hupall [cause]`.
public enum CallCommands {
    public static func register(in commands: CommandRegistry, calls: CallTable) {
        commands.register(APICommand(name: "show", syntax: "calls [count]", summary: "Calls in progress") { arguments in
            let words = ArgumentSplitter.split(arguments).map { $0.lowercased() }
            guard words.first == "calls" || words.first == "channels" else { return "-USAGE: show calls [count]\n" }
            if words.count > 1, words[1] == "count" { return "\(calls.count) total.\n" }
            let all = calls.all
            var text = "uuid,direction,created_epoch,cid_num,dest,gateway,callstate\n"
            for call in all { text += call.summary + "\n" }
            return text + "\n\(all.count) total.\n"
        })
        commands.register(APICommand(name: "uuid_kill", syntax: "<uuid> [cause]", summary: "Hang up a call") { arguments in
            let words = ArgumentSplitter.split(arguments)
            guard let uuid = words.first, let call = calls.call(uuid: uuid) else { return "-ERR No such channel!\n" }
            call.hangup(words.count > 1 ? HangupCause(nameOrNumber: words[1]) ?? .normalClearing : .normalClearing)
            return "+OK\n"
        })
        commands.register(APICommand(name: "hupall", syntax: "[cause]", summary: "Hang up every call") { arguments in
            let cause = HangupCause(nameOrNumber: arguments.isEmpty ? "NORMAL_CLEARING" : ArgumentSplitter.split(arguments)[0]) ?? .normalClearing
            for call in calls.all { call.hangup(cause) }
            return "+OK hangup all channels with cause \(cause.name)\n"
        })
    }
}

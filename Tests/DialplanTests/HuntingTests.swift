import Dialplan
import Testing

struct HuntingTests {
    @Test func firstMatchingExtensionWinsAndNoMatchIsNoRoute() throws {
        let fixture = try DialplanFixture("""
            <extension name="a"><condition field="destination_number" expression="^1"><action application="set" data="x=a"/></condition></extension>
            <extension name="b"><condition field="destination_number" expression="^12"><action application="set" data="x=b"/></condition></extension>
            """)
        let (session, outcome, _) = fixture.call("123")
        #expect(session.variables["x"] == "a")
        #expect(session.matched.map(\.name) == ["a"])
        #expect(outcome == .endOfDialplan)
        #expect(fixture.call("999").1 == .noRoute)
    }

    @Test func continueAccumulatesActionsOfEveryEvaluatedExtension() throws {
        let fixture = try DialplanFixture("""
            <extension name="a" continue="true"><condition field="destination_number" expression="^1"><action application="set" data="a=1"/></condition></extension>
            <extension name="b"><condition field="destination_number" expression="^2"><action application="set" data="b=1"/></condition></extension>
            <extension name="c"><condition field="destination_number" expression="^1"><action application="set" data="c=1"/></condition></extension>
            <extension name="d"><condition field="destination_number" expression="^1"><action application="set" data="d=1"/></condition></extension>
            """)
        let (session, _, _) = fixture.call("1")
        #expect(session.ran == ["set(a=1)", "set(c=1)"])
        #expect(session.matched.map(\.name) == ["a", "c"])
    }

    @Test func actionsOfAnEarlierConditionStayWhenALaterOneFails() throws {
        let fixture = try DialplanFixture("""
            <extension name="a">
              <condition field="destination_number" expression="^1"><action application="set" data="first=1"/></condition>
              <condition field="caller_id_number" expression="^9"><action application="set" data="second=1"/></condition>
            </extension>
            <extension name="b"><condition field="destination_number" expression="^1"><action application="set" data="b=1"/></condition></extension>
            """)
        // Extension a fails its second condition, so hunting goes on to b; a's first action stays.
        #expect(fixture.call("1").0.ran == ["set(first=1)", "set(b=1)"])
    }

    @Test func everyBreakValue() throws {
        func run(_ breakValue: String, firstMatches: Bool) throws -> [String] {
            let fixture = try DialplanFixture("""
                <extension name="x">
                  <condition field="destination_number" expression="\(firstMatches ? "^1$" : "^2$")" break="\(breakValue)">
                    <action application="set" data="one=1"/>
                  </condition>
                  <condition field="destination_number" expression="^1$"><action application="set" data="two=1"/></condition>
                </extension>
                """)
            return fixture.call("1").0.ran
        }
        #expect(try run("on-false", firstMatches: true) == ["set(one=1)", "set(two=1)"])
        #expect(try run("on-false", firstMatches: false) == [])
        #expect(try run("on-true", firstMatches: true) == ["set(one=1)"])
        #expect(try run("on-true", firstMatches: false) == ["set(two=1)"])
        #expect(try run("always", firstMatches: true) == ["set(one=1)"])
        #expect(try run("always", firstMatches: false) == [])
        #expect(try run("never", firstMatches: true) == ["set(one=1)", "set(two=1)"])
        #expect(try run("never", firstMatches: false) == ["set(two=1)"])
        #expect(try run("bogus", firstMatches: false) == [])
    }

    @Test func antiActionsRunOnMismatchAndCountAsAMatch() throws {
        let fixture = try DialplanFixture("""
            <extension name="a">
              <condition field="caller_id_number" expression="^9"><action application="set" data="vip=yes"/><anti-action application="set" data="vip=no"/></condition>
            </extension>
            <extension name="b"><condition><action application="set" data="b=1"/></condition></extension>
            """)
        #expect(fixture.call("1").0.ran == ["set(vip=no)"])
    }

    @Test func capturesAreSubstitutedAtHuntTime() throws {
        let fixture = try DialplanFixture("""
            <extension name="a"><condition field="destination_number" expression="^(\\d{2})(\\d+)$">
              <action application="set" data="all=$0 pre=$1 rest=${2} none=$7 price=$$5"/>
              <action application="bridge" data="sofia/gateway/gw1/$2"/>
            </condition></extension>
            """)
        let (session, _, external) = fixture.call("9912345")
        #expect(session.variables["all"] == "9912345 pre=99 rest=12345 none= price=$")
        #expect(external == ["bridge(sofia/gateway/gw1/12345)"])
        #expect(session.variables["DP_MATCH"] == "ARRAY::9912345|:99|:12345")
    }

    @Test func caseInsensitiveExpressionForm() throws {
        let fixture = try DialplanFixture("""
            <extension name="a"><condition field="caller_id_name" expression="/^bob$/i"><action application="set" data="x=1"/></condition></extension>
            """)
        var session = DialplanSession(caller: CallerProfile(destinationNumber: "1", callerIDName: "BOB"), environment: fixture.environment)
        _ = session.start()
        #expect(session.variables["x"] == "1")
    }

    @Test func loopQueuesTheSameUnexpandedDataNTimes() throws {
        let commands = CountingCommand.registry()
        let fixture = try DialplanFixture("""
            <extension name="a"><condition field="destination_number" expression="^1$">
              <action application="bridge" data="n=${count()}" loop="3"/>
              <action application="set" data="never=1" loop="0"/>
            </condition></extension>
            """, commands: commands)
        let (session, _, external) = fixture.call("1")
        #expect(external == ["bridge(n=1)", "bridge(n=2)", "bridge(n=3)"])
        #expect(session.variables["never"] == nil)
    }

    @Test func inlineRunsWhileHuntingSoLaterConditionsSeeIt() throws {
        let fixture = try DialplanFixture("""
            <extension name="a" continue="true"><condition field="destination_number" expression="^1$">
              <action application="set" data="tier=gold" inline="true"/>
              <action application="hangup" data="USER_BUSY" inline="true"/>
            </condition></extension>
            <extension name="b"><condition field="${tier}" expression="^gold$"><action application="set" data="routed=gold"/></condition></extension>
            """)
        let (session, outcome, _) = fixture.call("1")
        #expect(session.variables["routed"] == "gold")
        #expect(session.trace.first?.inline == true)
        // hangup cannot run inline: it was skipped, not queued.
        #expect(outcome == .endOfDialplan)
    }

    @Test func regexAllAnyXor() throws {
        func run(_ mode: String) throws -> String? {
            let fixture = try DialplanFixture("""
                <extension name="a"><condition regex="\(mode)">
                  <regex field="destination_number" expression="^1"/>
                  <regex field="caller_id_number" expression="^2"/>
                  <action application="set" data="hit=yes"/><anti-action application="set" data="hit=no"/>
                </condition></extension>
                """)
            return fixture.call("100").0.variables["hit"]
        }
        #expect(try run("all") == "no")
        #expect(try run("any") == "yes")
        #expect(try run("xor") == "yes")
    }

    @Test func timeConditionsFollowTheInjectedClock() throws {
        let body = """
            <extension name="office" continue="true"><condition wday="mon-fri" time-of-day="09:00-17:30"><action application="set" data="office=open"/><anti-action application="set" data="office=closed"/></condition></extension>
            <extension name="hour"><condition hour="12" minute-of-day="751" mon="11" mday="18" year="2026"><action application="set" data="exact=yes"/></condition></extension>
            """
        let open = try DialplanFixture(body)
        #expect(open.call("1").0.variables["office"] == "open")
        #expect(open.call("1").0.variables["exact"] == "yes")
        let saturday = LocalTime(year: 2026, month: 11, day: 21, weekday: 7, yearDay: 325, hour: 12, minute: 0, second: 0)
        #expect(try DialplanFixture(body, clock: { saturday }).call("1").0.variables["office"] == "closed")
        let evening = LocalTime(year: 2026, month: 11, day: 18, weekday: 4, yearDay: 322, hour: 17, minute: 31, second: 0)
        #expect(try DialplanFixture(body, clock: { evening }).call("1").0.variables["office"] == "closed")
    }

    @Test func dateTimeAndWrappingRanges() throws {
        let body = """
            <extension name="x"><condition date-time="2026-11-18 12:00~2026-11-18 13:00" time-of-day="22:00-13:00"><action application="set" data="in=yes"/></condition></extension>
            """
        #expect(try DialplanFixture(body).call("1").0.variables["in"] == "yes")
        let later = LocalTime(year: 2026, month: 11, day: 18, weekday: 4, yearDay: 322, hour: 13, minute: 0, second: 1)
        #expect(try DialplanFixture(body, clock: { later }).call("1").1 == .noRoute)
    }

    @Test func fallsBackToTheGlobalContext() throws {
        let fixture = try DialplanFixture("""
            <extension name="g"><condition><action application="set" data="g=1"/></condition></extension>
            """, context: "global")
        #expect(fixture.call("1", context: "nosuch").0.variables["g"] == "1")
    }
}

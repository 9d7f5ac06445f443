Feature: listen to events posted to POST /events
  The run parks in its listen holding no worker; the events a step publishes reach it through the
  tenant's event stream. Each event published here matches a filter of the waiting listen.

  Scenario: listen to one event reads its data
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: listen-one, version: '1.0.0'}
      do:
        - paid:
            listen:
              to:
                one:
                  with:
                    type: com.example.order.paid
                    data:
                      orderId: ${ .orderId }
        - summary:
            set:
              amount: ${ .[0].amount }
      """
    And the workflow input is:
      """yaml
      orderId: o-1
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: p-1, source: https://shop.example, type: com.example.order.paid, data: {orderId: o-1, amount: 42}}
      """
    Then the workflow should complete with output:
      """yaml
      amount: 42
      """

  Scenario: listen to any event completes on the first one that matches a filter
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: listen-any, version: '1.0.0'}
      do:
        - vitals:
            listen:
              to:
                any:
                  - with: {type: com.example.temperature}
                  - with: {type: com.example.bpm}
              read: envelope
            output:
              as: ${ map(.type) }
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: v-1, source: https://hospital.example, type: com.example.bpm, data: {bpm: 120}}
      """
    Then the workflow should complete with output:
      """yaml
      [com.example.bpm]
      """

  Scenario: listen to all events waits for one event per filter
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: listen-all, version: '1.0.0'}
      do:
        - both:
            listen:
              to:
                all:
                  - with: {type: com.example.temperature}
                  - with: {type: com.example.humidity}
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: a-1, source: https://home.example, type: com.example.temperature, data: {t: 21}}
      """
    Then the workflow should be waiting
    When the event is published:
      """yaml
      {specversion: '1.0', id: a-2, source: https://home.example, type: com.example.humidity, data: {h: 40}}
      """
    Then the workflow should complete with output:
      """yaml
      [{t: 21}, {h: 40}]
      """

  Scenario: listen until a condition on the events consumed so far
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: listen-until-condition, version: '1.0.0'}
      do:
        - readings:
            listen:
              to:
                any: []
                until: ( . | length ) > 1
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: u-1, source: https://home.example, type: com.example.reading, data: {v: 1}}
      """
    Then the workflow should be waiting
    When the event is published:
      """yaml
      {specversion: '1.0', id: u-2, source: https://home.example, type: com.example.reading, data: {v: 2}}
      """
    Then the workflow should complete with output:
      """yaml
      [{v: 1}, {v: 2}]
      """

  Scenario: listen until an event is consumed, which is not part of the output
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: listen-until-consumed, version: '1.0.0'}
      do:
        - readings:
            listen:
              to:
                any:
                  - with: {type: com.example.reading}
                until:
                  one:
                    with: {type: com.example.checked-out}
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: c-1, source: https://home.example, type: com.example.reading, data: {v: 1}}
      """
    And the event is published:
      """yaml
      {specversion: '1.0', id: c-2, source: https://home.example, type: com.example.checked-out, data: {}}
      """
    Then the workflow should complete with output:
      """yaml
      [{v: 1}]
      """

  Scenario: listen foreach runs its tasks on each consumed event
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: listen-foreach, version: '1.0.0'}
      do:
        - orders:
            listen:
              to:
                any:
                  - with: {type: com.example.order}
                until: ${ length == 2 }
            foreach:
              item: order
              at: i
              do:
                - line:
                    set:
                      line: ${ $i + 1 }
                      sku: ${ $order.sku }
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: f-1, source: https://shop.example, type: com.example.order, data: {sku: pen}}
      """
    And the event is published:
      """yaml
      {specversion: '1.0', id: f-2, source: https://shop.example, type: com.example.order, data: {sku: ink}}
      """
    Then the workflow should complete with output:
      """yaml
      [{line: 1, sku: pen}, {line: 2, sku: ink}]
      """

  Scenario: correlate consumes only the events that share the first event's value
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: listen-correlate, version: '1.0.0'}
      do:
        - room:
            listen:
              to:
                all:
                  - with: {type: com.example.temperature}
                    correlate:
                      roomId: {from: .roomid}
                  - with: {type: com.example.humidity}
                    correlate:
                      roomId: {from: .roomid}
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: r-1, source: https://home.example, type: com.example.temperature, roomid: kitchen, data: {t: 21}}
      """
    And the event is published:
      """yaml
      {specversion: '1.0', id: r-2, source: https://home.example, type: com.example.humidity, roomid: hall, data: {h: 55}}
      """
    Then the workflow should be waiting
    When the event is published:
      """yaml
      {specversion: '1.0', id: r-3, source: https://home.example, type: com.example.humidity, roomid: kitchen, data: {h: 40}}
      """
    Then the workflow should complete with output:
      """yaml
      [{t: 21}, {h: 40}]
      """

  Scenario: correlate with expect consumes only the expected value
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: listen-correlate-expect, version: '1.0.0'}
      do:
        - paid:
            listen:
              to:
                one:
                  with: {type: com.example.order.paid}
                  correlate:
                    orderId: {from: .data.orderId, expect: '${ .orderId }'}
      """
    And the workflow input is:
      """yaml
      orderId: o-2
      """
    When the workflow is started
    And the event is published:
      """yaml
      {specversion: '1.0', id: e-1, source: https://shop.example, type: com.example.order.paid, data: {orderId: o-1}}
      """
    Then the workflow should be waiting
    When the event is published:
      """yaml
      {specversion: '1.0', id: e-2, source: https://shop.example, type: com.example.order.paid, data: {orderId: o-2}}
      """
    Then the workflow should complete with output:
      """yaml
      [{orderId: o-2}]
      """

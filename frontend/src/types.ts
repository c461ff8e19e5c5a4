// What the card gets from Home Assistant and from the integration's
// websocket command `ev_load_balancer/subscribe_site` (websocket_api.py).

export interface ChargerView {
  id: string;
  name: string;
  device_id: string | null;
  state: string | null;
  reason: string | null;
  limit_a: number | null;
  min_a: number;
  max_a: number;
  power_w: number | null;
  priority: number;
  boosted: boolean;
  included: boolean;
  queue_position: number | null;
  unresponsive: boolean;
  ignores_limit: boolean;
  wiring: number[];
  // The circuit it is balanced on; null: the main fuse.
  circuit: string | null;
  phase_current_a: number[];
}

// A fuse below the main fuse; figures per circuit phase (site phase in `phases`).
export interface CircuitView {
  id: string;
  name: string;
  parent: string | null;
  phases: number[];
  rating_a: number;
  usable_a: number;
  metered: boolean;
  // Its meter's reading, else its non-EV load plus its EVs' draw.
  load_a: (number | null)[];
  measured_a: (number | null)[];
  baseline_a: (number | null)[];
  available_a: (number | null)[];
  allocated_a: (number | null)[];
  ev_current_a: number[];
  overload: boolean;
  failsafe: boolean;
  meter_problem: string | null;
  chargers: string[];
}

export interface SiteView {
  entry_id: string;
  name: string;
  phases: number;
  fuse_a: number;
  margin_a: number;
  cap_a: number | null;
  usable_a: number;
  site_current_a: (number | null)[];
  baseline_a: (number | null)[];
  available_a: (number | null)[];
  headroom_a: number | null;
  ev_power_w: number;
  charging_count: number;
  queued_count: number;
  overload: boolean;
  failsafe: boolean;
  meter_healthy: boolean;
  balancing_enabled: boolean;
  strategy: string;
  chargers: ChargerView[];
  // Parents first; empty for a site without circuits.
  circuits?: CircuitView[];
}

export interface SiteChoice {
  entry_id: string;
  name: string;
  loaded: boolean;
}

export interface CardConfig {
  type: string;
  entry_id?: string;
  title?: string;
}

// The few parts of the frontend's `hass` object the card uses.
export interface HomeAssistant {
  language: string;
  locale?: { language: string };
  localize: (key: string, values?: Record<string, unknown>) => string;
  loadBackendTranslation?: (category: string, integration?: string) => Promise<unknown>;
  callWS: <T>(message: Record<string, unknown>) => Promise<T>;
  connection: {
    subscribeMessage: <T>(
      callback: (message: T) => void,
      message: Record<string, unknown>,
    ) => Promise<() => Promise<void>>;
  };
}

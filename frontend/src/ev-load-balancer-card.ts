// The EV Load Balancer site card: per phase, the building's load plus each
// charger's share against the fuse, the margin and a temporary cap; each
// circuit's load per phase against its own fuse; then each charger's state,
// limit, power, reason and place in the queue.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import "./editor";
import { cardStyles } from "./styles";
import { language, text } from "./strings";
import type {
  CardConfig,
  ChargerView,
  CircuitView,
  HomeAssistant,
  SiteChoice,
  SiteView,
} from "./types";

const DOMAIN = "ev_load_balancer";
const PHASE_NAMES = ["L1", "L2", "L3"];
const RETRY_MS = 10_000;
// Distinguishable in light and dark themes; a charger keeps its colour by its place.
const PALETTE = [
  "#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00acc1", "#e53935",
  "#7cb342", "#3949ab", "#f4511e", "#00897b", "#c0ca33", "#d81b60",
];

export function chargerColour(index: number): string {
  return PALETTE[index % PALETTE.length];
}

function amps(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "–" : `${value.toFixed(digits)} A`;
}

function power(watts: number | null): string {
  if (watts === null) return "–";
  return watts >= 1000 ? `${(watts / 1000).toFixed(1)} kW` : `${Math.round(watts)} W`;
}

export class EvLoadBalancerCard extends LitElement {
  static styles = cardStyles;

  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _site: { state: true },
    _problem: { state: true },
  };

  hass?: HomeAssistant;
  private _config?: CardConfig;
  private _site?: SiteView;
  private _problem?: "no_site" | "not_loaded";
  private _unsubscribe?: Promise<() => Promise<void>>;
  private _subscribedTo?: string;
  private _retry?: number;

  static getConfigElement(): HTMLElement {
    return document.createElement("ev-load-balancer-card-editor");
  }

  static getStubConfig(): CardConfig {
    return { type: `custom:${DOMAIN.replace(/_/g, "-")}-card` };
  }

  setConfig(config: CardConfig): void {
    if (!config) throw new Error("Invalid configuration");
    this._config = config;
    this._resubscribe();
  }

  getCardSize(): number {
    const site = this._site;
    if (!site) return 4;
    const circuits = (site.circuits ?? []).reduce((rows, c) => rows + 1 + c.phases.length / 2, 0);
    return 2 + site.phases + Math.ceil(circuits) + Math.ceil(site.chargers.length / 2);
  }

  getGridOptions(): Record<string, number> {
    return { columns: 12, min_columns: 6, min_rows: 4 };
  }

  connectedCallback(): void {
    super.connectedCallback();
    this._resubscribe();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stop();
  }

  protected updated(changed: PropertyValues): void {
    if (changed.has("hass") && this.hass && !this._unsubscribe) {
      this.hass.loadBackendTranslation?.("entity", DOMAIN);
      this._resubscribe();
    }
  }

  private _stop(): void {
    window.clearTimeout(this._retry);
    this._retry = undefined;
    const unsubscribe = this._unsubscribe;
    this._unsubscribe = undefined;
    this._subscribedTo = undefined;
    unsubscribe?.then((stop) => stop()).catch(() => undefined);
  }

  private async _resubscribe(): Promise<void> {
    if (!this.hass || !this._config || !this.isConnected) return;
    const wanted = this._config.entry_id || (await this._firstSite());
    if (!wanted) {
      this._problem = "no_site";
      return;
    }
    if (this._subscribedTo === wanted && this._unsubscribe) return;
    this._stop();
    this._subscribedTo = wanted;
    const subscription = this.hass.connection.subscribeMessage<SiteView | { removed: true }>(
      (message) => {
        if ("removed" in message) {
          this._site = undefined;
          this._problem = "no_site";
          return;
        }
        this._problem = undefined;
        this._site = message;
      },
      { type: `${DOMAIN}/subscribe_site`, entry_id: wanted },
    );
    this._unsubscribe = subscription;
    subscription.catch(() => {
      // Not loaded (yet): say so, and ask again in a while.
      if (this._unsubscribe !== subscription) return;
      this._unsubscribe = undefined;
      this._subscribedTo = undefined;
      this._site = undefined;
      this._problem = "not_loaded";
      this._retry = window.setTimeout(() => this._resubscribe(), RETRY_MS);
    });
  }

  private async _firstSite(): Promise<string | undefined> {
    const sites = await this.hass!.callWS<SiteChoice[]>({ type: `${DOMAIN}/sites` });
    return (sites.find((site) => site.loaded) ?? sites[0])?.entry_id;
  }

  private _t(key: Parameters<typeof text>[1], values?: Record<string, string | number>): string {
    return text(language(this.hass), key, values);
  }

  private _state(kind: "state" | "reason", value: string | null): string {
    if (!value) return "–";
    const key = `component.${DOMAIN}.entity.sensor.${kind}.state.${value}`;
    const word = this.hass?.localize(key);
    return word && word !== key ? word : value.replace(/_/g, " ");
  }

  protected render(): TemplateResult {
    const site = this._site;
    const title = this._config?.title || site?.name || this._t("card_name");
    return html`<ha-card>
      <div class="header"><span class="title">${title}</span>${site ? this._summary(site) : nothing}</div>
      ${site ? this._body(site) : html`<div class="empty">${this._t(this._problem ?? "loading")}</div>`}
    </ha-card>`;
  }

  private _summary(site: SiteView): TemplateResult {
    return html`<span class="summary">
      ${this._t("charging", { count: site.charging_count })} ·
      ${this._t("queued", { count: site.queued_count })} · ${power(site.ev_power_w)}
    </span>`;
  }

  private _body(site: SiteView): TemplateResult {
    return html`
      ${this._alerts(site)}
      <div class="phases">${site.site_current_a.map((_, phase) => this._phase(site, phase))}</div>
      ${this._legend(site)}
      ${this._circuits(site)}
      <div class="chargers">
        ${site.chargers.length
          ? site.chargers.map((charger, index) => this._charger(charger, index))
          : html`<div class="empty">${this._t("no_chargers")}</div>`}
      </div>
    `;
  }

  private _alerts(site: SiteView): TemplateResult[] {
    const alerts: TemplateResult[] = [];
    if (site.failsafe) {
      alerts.push(html`<div class="alert danger" data-alert="failsafe">${this._t("failsafe")}</div>`);
    } else if (!site.meter_healthy) {
      alerts.push(html`<div class="alert danger" data-alert="meter">${this._t("meter_unhealthy")}</div>`);
    }
    if (site.overload) {
      alerts.push(html`<div class="alert danger" data-alert="overload">${this._t("overload")}</div>`);
    }
    if (!site.balancing_enabled) {
      alerts.push(html`<div class="alert warning" data-alert="off">${this._t("balancing_off")}</div>`);
    }
    if (site.cap_a !== null) {
      alerts.push(html`<div class="alert info" data-alert="cap">${this._t("capped", { cap: site.cap_a })}</div>`);
    }
    return alerts;
  }

  private _phase(site: SiteView, phase: number): TemplateResult {
    const limit = site.cap_a ?? site.fuse_a;
    const usable = site.usable_a;
    const baseline = site.baseline_a[phase];
    const measured = site.site_current_a[phase];
    const shares = site.chargers.map((charger) => charger.phase_current_a[phase] ?? 0);
    const chargersTotal = shares.reduce((sum, value) => sum + value, 0);
    const total = measured ?? (baseline ?? 0) + chargersTotal;
    const scale = Math.max(site.fuse_a, total) * 1.05;
    const pct = (value: number) => `${Math.max(0, Math.min(100, (value / scale) * 100))}%`;
    const over = measured !== null && measured > usable;
    return html`<div class="phase" data-phase=${PHASE_NAMES[phase]}>
      <div class="phase-name">${PHASE_NAMES[phase]}</div>
      <div class="bar ${over ? "over" : ""}" role="img"
        aria-label="${PHASE_NAMES[phase]}: ${amps(total)} / ${site.fuse_a} A">
        <div class="zone margin" style="left:${pct(usable)};width:calc(${pct(limit)} - ${pct(usable)})"
          title="${this._t("margin")} ${site.margin_a} A"></div>
        <div class="stack">
          ${baseline === null
            ? html`<div class="segment unknown" style="width:${pct(Math.max(total - chargersTotal, 0))}"></div>`
            : html`<div class="segment building" data-segment="building" style="width:${pct(baseline)}"
                title="${this._t("building")} ${amps(baseline)}"></div>`}
          ${site.chargers.map((charger, index) =>
            shares[index] > 0.05
              ? html`<div class="segment" data-segment="charger" data-charger=${charger.id}
                  style="width:${pct(shares[index])};background:${chargerColour(index)}"
                  title="${charger.name} ${amps(shares[index])}"></div>`
              : nothing,
          )}
        </div>
        <div class="marker usable" style="left:${pct(usable)}" title="${this._t("usable")} ${amps(usable)}"></div>
        ${site.cap_a !== null
          ? html`<div class="marker cap" style="left:${pct(site.cap_a)}" title="${this._t("cap")} ${site.cap_a} A"></div>`
          : nothing}
        <div class="marker fuse" style="left:${pct(site.fuse_a)}" title="${this._t("fuse")} ${site.fuse_a} A"></div>
      </div>
      <div class="phase-value">${amps(total)}<span class="of"> / ${site.fuse_a} A</span></div>
    </div>`;
  }

  private _legend(site: SiteView): TemplateResult {
    return html`<div class="legend">
      <span><i class="swatch building"></i>${this._t("building")}</span>
      <span><i class="swatch margin"></i>${this._t("margin")} ${site.margin_a} A</span>
      <span><i class="line fuse"></i>${this._t("fuse")} ${site.fuse_a} A</span>
      ${site.cap_a !== null ? html`<span><i class="line cap"></i>${this._t("cap")} ${site.cap_a} A</span>` : nothing}
    </div>`;
  }

  private _circuits(site: SiteView): TemplateResult | typeof nothing {
    const circuits = site.circuits ?? [];
    if (!circuits.length) return nothing;
    const byId = new Map(circuits.map((circuit) => [circuit.id, circuit]));
    const depth = (circuit: CircuitView): number => {
      let levels = 0;
      for (let parent = circuit.parent; parent && byId.has(parent) && levels < 8; levels++) {
        parent = byId.get(parent)!.parent;
      }
      return levels;
    };
    return html`<div class="circuits">
      <div class="circuits-title">${this._t("circuits")}</div>
      ${circuits.map((circuit) => this._circuit(circuit, depth(circuit)))}
    </div>`;
  }

  private _circuit(circuit: CircuitView, depth: number): TemplateResult {
    const chips: [string, string][] = [];
    if (circuit.failsafe) chips.push(["failsafe", this._t("circuit_failsafe")]);
    else if (circuit.meter_problem) chips.push(["meter", this._t("circuit_meter")]);
    if (circuit.overload) chips.push(["overload", this._t("circuit_overload")]);
    return html`<div class="circuit" data-circuit=${circuit.id}
      data-failsafe=${circuit.failsafe ? "on" : "off"} style="margin-left:${depth * 1.2}em">
      <div class="circuit-name">${circuit.name}
        <span class="chip">${this._t("rating")} ${circuit.rating_a} A</span>
        ${chips.map(([kind, label]) => html`<span class="chip bad" data-alert=${kind}>${label}</span>`)}
      </div>
      ${circuit.phases.map((phase, index) => this._circuitPhase(circuit, phase, index))}
    </div>`;
  }

  private _circuitPhase(circuit: CircuitView, phase: number, index: number): TemplateResult {
    const load = circuit.load_a[index];
    const scale = Math.max(circuit.rating_a, load ?? 0) * 1.05;
    const pct = (value: number) => `${Math.max(0, Math.min(100, (value / scale) * 100))}%`;
    const over = load !== null && load > circuit.usable_a;
    return html`<div class="circuit-phase" data-phase=${PHASE_NAMES[phase]}>
      <div class="phase-name">${PHASE_NAMES[phase]}</div>
      <div class="bar ${over ? "over" : ""}" role="img"
        aria-label="${circuit.name} ${PHASE_NAMES[phase]}: ${amps(load)} / ${circuit.rating_a} A">
        <div class="zone margin"
          style="left:${pct(circuit.usable_a)};width:calc(${pct(circuit.rating_a)} - ${pct(circuit.usable_a)})"></div>
        <div class="stack">
          ${load === null
            ? nothing
            : html`<div class="segment load" data-segment="load" style="width:${pct(load)}"></div>`}
        </div>
        <div class="marker usable" style="left:${pct(circuit.usable_a)}"
          title="${this._t("usable")} ${amps(circuit.usable_a)}"></div>
        <div class="marker fuse" style="left:${pct(circuit.rating_a)}"
          title="${this._t("fuse")} ${circuit.rating_a} A"></div>
      </div>
      <div class="phase-value">${amps(load)}<span class="of"> / ${circuit.rating_a} A</span></div>
    </div>`;
  }

  private _charger(charger: ChargerView, index: number): TemplateResult {
    const flags: string[] = [];
    if (charger.boosted) flags.push(this._t("boosted"));
    if (!charger.included) flags.push(this._t("excluded"));
    if (charger.unresponsive) flags.push(this._t("unresponsive"));
    if (charger.ignores_limit) flags.push(this._t("ignores_limit"));
    const trouble = charger.unresponsive || charger.ignores_limit;
    const state = this._state("state", charger.state);
    const reason = charger.reason ? this._state("reason", charger.reason) : "";
    return html`<div class="charger ${trouble ? "trouble" : ""}" data-charger=${charger.id}
      data-state=${charger.state ?? ""} @click=${() => this._openDevice(charger)}>
      <i class="swatch" style="background:${chargerColour(index)}"></i>
      <div class="charger-main">
        <div class="charger-name">${charger.name}
          ${charger.queue_position !== null
            ? html`<span class="chip queue">${this._t("queue", { position: charger.queue_position })}</span>`
            : nothing}
          ${flags.map((flag) => html`<span class="chip ${trouble ? "bad" : ""}">${flag}</span>`)}
        </div>
        <div class="charger-detail">
          <span class="state">${state}</span>${reason && reason !== state
            ? html` · <span class="reason">${reason}</span>`
            : nothing}
        </div>
      </div>
      <div class="charger-figures">
        <div title=${this._t("limit")}>${amps(charger.limit_a, 0)}</div>
        <div class="secondary" title=${this._t("power")}>${power(charger.power_w)}</div>
      </div>
    </div>`;
  }

  private _openDevice(charger: ChargerView): void {
    if (!charger.device_id) return;
    history.pushState(null, "", `/config/devices/device/${charger.device_id}`);
    window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
  }
}

if (!customElements.get("ev-load-balancer-card")) {
  customElements.define("ev-load-balancer-card", EvLoadBalancerCard);
  const cards = ((window as unknown as { customCards?: unknown[] }).customCards ??= []);
  cards.push({
    type: "ev-load-balancer-card",
    name: text(language(undefined), "card_name"),
    description: text(language(undefined), "card_description"),
    preview: true,
    documentationURL: "https://github.com/ev-load-balancer/ev_load_balancer#the-site-card",
  });
}

// The card's visual editor: pick the site (and an optional title) with the
// frontend's own form and config entry selector.
import { LitElement, html, type TemplateResult } from "lit";
import { language, text } from "./strings";
import type { CardConfig, HomeAssistant } from "./types";

const SCHEMA = [
  { name: "entry_id", selector: { config_entry: { integration: "ev_load_balancer" } } },
  { name: "title", selector: { text: {} } },
];

export class EvLoadBalancerCardEditor extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
  };

  hass?: HomeAssistant;
  private _config?: CardConfig;

  setConfig(config: CardConfig): void {
    this._config = config;
  }

  protected render(): TemplateResult {
    if (!this.hass || !this._config) return html``;
    const lang = language(this.hass);
    return html`<ha-form
      .hass=${this.hass}
      .data=${this._config}
      .schema=${SCHEMA}
      .computeLabel=${(field: { name: string }) =>
        text(lang, field.name === "entry_id" ? "pick_site" : "title")}
      @value-changed=${this._changed}
    ></ha-form>`;
  }

  private _changed(event: CustomEvent<{ value: CardConfig }>): void {
    const config: CardConfig = { ...event.detail.value };
    for (const key of ["entry_id", "title"] as const) {
      if (!config[key]) delete config[key];
    }
    this.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
  }
}

if (!customElements.get("ev-load-balancer-card-editor")) {
  customElements.define("ev-load-balancer-card-editor", EvLoadBalancerCardEditor);
}

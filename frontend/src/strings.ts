// The card's own words; charger states and reasons come from the
// integration's translations (hass.localize), as on its entities.

const EN = {
  card_name: "EV Load Balancer",
  card_description: "Per phase, the building and each charger against the main fuse.",
  pick_site: "Site",
  title: "Title (optional)",
  no_site: "No EV Load Balancer site is set up yet.",
  not_loaded: "The site is not running; it is shown again once it is.",
  loading: "Waiting for the site…",
  fuse: "Fuse",
  margin: "Margin",
  cap: "Temporary cap",
  building: "Building",
  usable: "Usable",
  failsafe: "Failsafe: the meter is not trusted; chargers get safe fixed limits.",
  overload: "Overload: the building alone exceeds the fuse; chargers on that phase are paused.",
  meter_unhealthy: "The meter is not healthy.",
  balancing_off: "Balancing is off: chargers keep their last limit.",
  capped: "A temporary cap of {cap} A per phase applies.",
  chargers: "Chargers",
  no_chargers: "No chargers yet.",
  limit: "Limit",
  power: "Power",
  queue: "Queue #{position}",
  boosted: "Boost",
  excluded: "Not balanced",
  unresponsive: "Not responding",
  ignores_limit: "Ignores its limit",
  charging: "{count} charging",
  queued: "{count} waiting",
  circuits: "Circuits",
  rating: "Rating",
  circuit_failsafe: "Failsafe",
  circuit_meter: "Meter not trusted",
  circuit_overload: "Overload",
};

type Key = keyof typeof EN;

const SV: Record<Key, string> = {
  card_name: "EV Load Balancer",
  card_description: "Per fas: huset och varje laddare mot huvudsäkringen.",
  pick_site: "Anläggning",
  title: "Rubrik (valfri)",
  no_site: "Ingen EV Load Balancer-anläggning är konfigurerad än.",
  not_loaded: "Anläggningen körs inte; den visas igen när den gör det.",
  loading: "Väntar på anläggningen…",
  fuse: "Säkring",
  margin: "Marginal",
  cap: "Tillfällig gräns",
  building: "Huset",
  usable: "Användbart",
  failsafe: "Felsäkert läge: mätaren är inte pålitlig; laddarna får säkra fasta gränser.",
  overload: "Överlast: huset ensamt överskrider säkringen; laddarna på den fasen är pausade.",
  meter_unhealthy: "Mätaren fungerar inte som den ska.",
  balancing_off: "Lastbalanseringen är av: laddarna behåller sin senaste gräns.",
  capped: "En tillfällig gräns på {cap} A per fas gäller.",
  chargers: "Laddare",
  no_chargers: "Inga laddare än.",
  limit: "Gräns",
  power: "Effekt",
  queue: "Kö nr {position}",
  boosted: "Boost",
  excluded: "Balanseras inte",
  unresponsive: "Svarar inte",
  ignores_limit: "Ignorerar sin gräns",
  charging: "{count} laddar",
  queued: "{count} väntar",
  circuits: "Gruppcentraler",
  rating: "Märkström",
  circuit_failsafe: "Felsäkert läge",
  circuit_meter: "Mätaren är inte pålitlig",
  circuit_overload: "Överlast",
};

const LANGUAGES: Record<string, Record<Key, string>> = { en: EN, sv: SV };

export function language(hass: { language: string; locale?: { language: string } } | undefined): string {
  const code = hass?.locale?.language ?? hass?.language ?? "en";
  return code.split("-")[0];
}

export function text(lang: string, key: Key, values: Record<string, string | number> = {}): string {
  const words = LANGUAGES[lang] ?? EN;
  return words[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
}

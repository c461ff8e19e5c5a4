// EV Load Balancer site card. Built from frontend/ by `make card`; do not edit.
var z=globalThis,D=z.ShadowRoot&&(z.ShadyCSS===void 0||z.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,j=Symbol(),re=new WeakMap,P=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==j)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(D&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=re.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&re.set(t,e))}return e}toString(){return this.cssText}},ae=r=>new P(typeof r=="string"?r:r+"",void 0,j),W=(r,...e)=>{let t=r.length===1?r[0]:e.reduce((s,i,a)=>s+(n=>{if(n._$cssResult$===!0)return n.cssText;if(typeof n=="number")return n;throw Error("Value passed to 'css' function must be a 'css' function result: "+n+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(i)+r[a+1],r[0]);return new P(t,r,j)},ne=(r,e)=>{if(D)r.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),i=z.litNonce;i!==void 0&&s.setAttribute("nonce",i),s.textContent=t.cssText,r.appendChild(s)}},F=D?r=>r:r=>r instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return ae(t)})(r):r;var{is:Ce,defineProperty:ke,getOwnPropertyDescriptor:Te,getOwnPropertyNames:Pe,getOwnPropertySymbols:Me,getPrototypeOf:Re}=Object,B=globalThis,oe=B.trustedTypes,Ue=oe?oe.emptyScript:"",He=B.reactiveElementPolyfillSupport,M=(r,e)=>r,K={toAttribute(r,e){switch(e){case Boolean:r=r?Ue:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,e){let t=r;switch(e){case Boolean:t=r!==null;break;case Number:t=r===null?null:Number(r);break;case Object:case Array:try{t=JSON.parse(r)}catch{t=null}}return t}},ce=(r,e)=>!Ce(r,e),le={attribute:!0,type:String,converter:K,reflect:!1,useDefault:!1,hasChanged:ce};Symbol.metadata??=Symbol("metadata"),B.litPropertyMetadata??=new WeakMap;var $=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=le){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),i=this.getPropertyDescriptor(e,s,t);i!==void 0&&ke(this.prototype,e,i)}}static getPropertyDescriptor(e,t,s){let{get:i,set:a}=Te(this.prototype,e)??{get(){return this[t]},set(n){this[t]=n}};return{get:i,set(n){let c=i?.call(this);a?.call(this,n),this.requestUpdate(e,c,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??le}static _$Ei(){if(this.hasOwnProperty(M("elementProperties")))return;let e=Re(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(M("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(M("properties"))){let t=this.properties,s=[...Pe(t),...Me(t)];for(let i of s)this.createProperty(i,t[i])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,i]of t)this.elementProperties.set(s,i)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let i=this._$Eu(t,s);i!==void 0&&this._$Eh.set(i,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let i of s)t.unshift(F(i))}else e!==void 0&&t.push(F(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ne(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),i=this.constructor._$Eu(e,s);if(i!==void 0&&s.reflect===!0){let a=(s.converter?.toAttribute!==void 0?s.converter:K).toAttribute(t,s.type);this._$Em=e,a==null?this.removeAttribute(i):this.setAttribute(i,a),this._$Em=null}}_$AK(e,t){let s=this.constructor,i=s._$Eh.get(e);if(i!==void 0&&this._$Em!==i){let a=s.getPropertyOptions(i),n=typeof a.converter=="function"?{fromAttribute:a.converter}:a.converter?.fromAttribute!==void 0?a.converter:K;this._$Em=i;let c=n.fromAttribute(t,a.type);this[i]=c??this._$Ej?.get(i)??c,this._$Em=null}}requestUpdate(e,t,s,i=!1,a){if(e!==void 0){let n=this.constructor;if(i===!1&&(a=this[e]),s??=n.getPropertyOptions(e),!((s.hasChanged??ce)(a,t)||s.useDefault&&s.reflect&&a===this._$Ej?.get(e)&&!this.hasAttribute(n._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:i,wrapped:a},n){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,n??t??this[e]),a!==!0||n!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),i===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,a]of this._$Ep)this[i]=a;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[i,a]of s){let{wrapped:n}=a,c=this[i];n!==!0||this._$AL.has(i)||c===void 0||this.C(i,void 0,a,c)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};$.elementStyles=[],$.shadowRootOptions={mode:"open"},$[M("elementProperties")]=new Map,$[M("finalized")]=new Map,He?.({ReactiveElement:$}),(B.reactiveElementVersions??=[]).push("2.1.2");var ee=globalThis,de=r=>r,I=ee.trustedTypes,he=I?I.createPolicy("lit-html",{createHTML:r=>r}):void 0,_e="$lit$",b=`lit$${Math.random().toFixed(9).slice(2)}$`,$e="?"+b,Ne=`<${$e}>`,x=document,U=()=>x.createComment(""),H=r=>r===null||typeof r!="object"&&typeof r!="function",te=Array.isArray,Oe=r=>te(r)||typeof r?.[Symbol.iterator]=="function",G=`[ 	
\f\r]`,R=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,pe=/-->/g,ue=/>/g,y=RegExp(`>|${G}(?:([^\\s"'>=/]+)(${G}*=${G}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),ge=/'/g,me=/"/g,ve=/^(?:script|style|textarea|title)$/i,se=r=>(e,...t)=>({_$litType$:r,strings:e,values:t}),d=se(1),Ge=se(2),Je=se(3),w=Symbol.for("lit-noChange"),h=Symbol.for("lit-nothing"),fe=new WeakMap,A=x.createTreeWalker(x,129);function be(r,e){if(!te(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return he!==void 0?he.createHTML(e):e}var Ve=(r,e)=>{let t=r.length-1,s=[],i,a=e===2?"<svg>":e===3?"<math>":"",n=R;for(let c=0;c<t;c++){let o=r[c],p,u,l=-1,m=0;for(;m<o.length&&(n.lastIndex=m,u=n.exec(o),u!==null);)m=n.lastIndex,n===R?u[1]==="!--"?n=pe:u[1]!==void 0?n=ue:u[2]!==void 0?(ve.test(u[2])&&(i=RegExp("</"+u[2],"g")),n=y):u[3]!==void 0&&(n=y):n===y?u[0]===">"?(n=i??R,l=-1):u[1]===void 0?l=-2:(l=n.lastIndex-u[2].length,p=u[1],n=u[3]===void 0?y:u[3]==='"'?me:ge):n===me||n===ge?n=y:n===pe||n===ue?n=R:(n=y,i=void 0);let g=n===y&&r[c+1].startsWith("/>")?" ":"";a+=n===R?o+Ne:l>=0?(s.push(p),o.slice(0,l)+_e+o.slice(l)+b+g):o+b+(l===-2?c:g)}return[be(r,a+(r[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},N=class r{constructor({strings:e,_$litType$:t},s){let i;this.parts=[];let a=0,n=0,c=e.length-1,o=this.parts,[p,u]=Ve(e,t);if(this.el=r.createElement(p,s),A.currentNode=this.el.content,t===2||t===3){let l=this.el.content.firstChild;l.replaceWith(...l.childNodes)}for(;(i=A.nextNode())!==null&&o.length<c;){if(i.nodeType===1){if(i.hasAttributes())for(let l of i.getAttributeNames())if(l.endsWith(_e)){let m=u[n++],g=i.getAttribute(l).split(b),f=/([.?@])?(.*)/.exec(m);o.push({type:1,index:a,name:f[2],strings:g,ctor:f[1]==="."?Q:f[1]==="?"?Y:f[1]==="@"?Z:E}),i.removeAttribute(l)}else l.startsWith(b)&&(o.push({type:6,index:a}),i.removeAttribute(l));if(ve.test(i.tagName)){let l=i.textContent.split(b),m=l.length-1;if(m>0){i.textContent=I?I.emptyScript:"";for(let g=0;g<m;g++)i.append(l[g],U()),A.nextNode(),o.push({type:2,index:++a});i.append(l[m],U())}}}else if(i.nodeType===8)if(i.data===$e)o.push({type:2,index:a});else{let l=-1;for(;(l=i.data.indexOf(b,l+1))!==-1;)o.push({type:7,index:a}),l+=b.length-1}a++}}static createElement(e,t){let s=x.createElement("template");return s.innerHTML=e,s}};function S(r,e,t=r,s){if(e===w)return e;let i=s!==void 0?t._$Co?.[s]:t._$Cl,a=H(e)?void 0:e._$litDirective$;return i?.constructor!==a&&(i?._$AO?.(!1),a===void 0?i=void 0:(i=new a(r),i._$AT(r,t,s)),s!==void 0?(t._$Co??=[])[s]=i:t._$Cl=i),i!==void 0&&(e=S(r,i._$AS(r,e.values),i,s)),e}var J=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,i=(e?.creationScope??x).importNode(t,!0);A.currentNode=i;let a=A.nextNode(),n=0,c=0,o=s[0];for(;o!==void 0;){if(n===o.index){let p;o.type===2?p=new O(a,a.nextSibling,this,e):o.type===1?p=new o.ctor(a,o.name,o.strings,this,e):o.type===6&&(p=new X(a,this,e)),this._$AV.push(p),o=s[++c]}n!==o?.index&&(a=A.nextNode(),n++)}return A.currentNode=x,i}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},O=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,i){this.type=2,this._$AH=h,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=S(this,e,t),H(e)?e===h||e==null||e===""?(this._$AH!==h&&this._$AR(),this._$AH=h):e!==this._$AH&&e!==w&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):Oe(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==h&&H(this._$AH)?this._$AA.nextSibling.data=e:this.T(x.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,i=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=N.createElement(be(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===i)this._$AH.p(t);else{let a=new J(i,this),n=a.u(this.options);a.p(t),this.T(n),this._$AH=a}}_$AC(e){let t=fe.get(e.strings);return t===void 0&&fe.set(e.strings,t=new N(e)),t}k(e){te(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,i=0;for(let a of e)i===t.length?t.push(s=new r(this.O(U()),this.O(U()),this,this.options)):s=t[i],s._$AI(a),i++;i<t.length&&(this._$AR(s&&s._$AB.nextSibling,i),t.length=i)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=de(e).nextSibling;de(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},E=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,i,a){this.type=1,this._$AH=h,this._$AN=void 0,this.element=e,this.name=t,this._$AM=i,this.options=a,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=h}_$AI(e,t=this,s,i){let a=this.strings,n=!1;if(a===void 0)e=S(this,e,t,0),n=!H(e)||e!==this._$AH&&e!==w,n&&(this._$AH=e);else{let c=e,o,p;for(e=a[0],o=0;o<a.length-1;o++)p=S(this,c[s+o],t,o),p===w&&(p=this._$AH[o]),n||=!H(p)||p!==this._$AH[o],p===h?e=h:e!==h&&(e+=(p??"")+a[o+1]),this._$AH[o]=p}n&&!i&&this.j(e)}j(e){e===h?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},Q=class extends E{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===h?void 0:e}},Y=class extends E{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==h)}},Z=class extends E{constructor(e,t,s,i,a){super(e,t,s,i,a),this.type=5}_$AI(e,t=this){if((e=S(this,e,t,0)??h)===w)return;let s=this._$AH,i=e===h&&s!==h||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,a=e!==h&&(s===h||i);i&&this.element.removeEventListener(this.name,this,s),a&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},X=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){S(this,e)}};var Le=ee.litHtmlPolyfillSupport;Le?.(N,O),(ee.litHtmlVersions??=[]).push("3.3.3");var ye=(r,e,t)=>{let s=t?.renderBefore??e,i=s._$litPart$;if(i===void 0){let a=t?.renderBefore??null;s._$litPart$=i=new O(e.insertBefore(U(),a),a,void 0,t??{})}return i._$AI(r),i};var ie=globalThis,_=class extends ${constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=ye(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return w}};_._$litElement$=!0,_.finalized=!0,ie.litElementHydrateSupport?.({LitElement:_});var ze=ie.litElementPolyfillSupport;ze?.({LitElement:_});(ie.litElementVersions??=[]).push("4.2.2");var Ae={card_name:"EV Load Balancer",card_description:"Per phase, the building and each charger against the main fuse.",pick_site:"Site",title:"Title (optional)",no_site:"No EV Load Balancer site is set up yet.",not_loaded:"The site is not running; it is shown again once it is.",loading:"Waiting for the site\u2026",fuse:"Fuse",margin:"Margin",cap:"Temporary cap",building:"Building",usable:"Usable",failsafe:"Failsafe: the meter is not trusted; chargers get safe fixed limits.",overload:"Overload: the building alone exceeds the fuse; chargers on that phase are paused.",meter_unhealthy:"The meter is not healthy.",balancing_off:"Balancing is off: chargers keep their last limit.",capped:"A temporary cap of {cap} A per phase applies.",chargers:"Chargers",no_chargers:"No chargers yet.",limit:"Limit",power:"Power",queue:"Queue #{position}",boosted:"Boost",excluded:"Not balanced",unresponsive:"Not responding",ignores_limit:"Ignores its limit",charging:"{count} charging",queued:"{count} waiting",circuits:"Circuits",rating:"Rating",circuit_failsafe:"Failsafe",circuit_meter:"Meter not trusted",circuit_overload:"Overload"},De={card_name:"EV Load Balancer",card_description:"Per fas: huset och varje laddare mot huvuds\xE4kringen.",pick_site:"Anl\xE4ggning",title:"Rubrik (valfri)",no_site:"Ingen EV Load Balancer-anl\xE4ggning \xE4r konfigurerad \xE4n.",not_loaded:"Anl\xE4ggningen k\xF6rs inte; den visas igen n\xE4r den g\xF6r det.",loading:"V\xE4ntar p\xE5 anl\xE4ggningen\u2026",fuse:"S\xE4kring",margin:"Marginal",cap:"Tillf\xE4llig gr\xE4ns",building:"Huset",usable:"Anv\xE4ndbart",failsafe:"Fels\xE4kert l\xE4ge: m\xE4taren \xE4r inte p\xE5litlig; laddarna f\xE5r s\xE4kra fasta gr\xE4nser.",overload:"\xD6verlast: huset ensamt \xF6verskrider s\xE4kringen; laddarna p\xE5 den fasen \xE4r pausade.",meter_unhealthy:"M\xE4taren fungerar inte som den ska.",balancing_off:"Lastbalanseringen \xE4r av: laddarna beh\xE5ller sin senaste gr\xE4ns.",capped:"En tillf\xE4llig gr\xE4ns p\xE5 {cap} A per fas g\xE4ller.",chargers:"Laddare",no_chargers:"Inga laddare \xE4n.",limit:"Gr\xE4ns",power:"Effekt",queue:"K\xF6 nr {position}",boosted:"Boost",excluded:"Balanseras inte",unresponsive:"Svarar inte",ignores_limit:"Ignorerar sin gr\xE4ns",charging:"{count} laddar",queued:"{count} v\xE4ntar",circuits:"Gruppcentraler",rating:"M\xE4rkstr\xF6m",circuit_failsafe:"Fels\xE4kert l\xE4ge",circuit_meter:"M\xE4taren \xE4r inte p\xE5litlig",circuit_overload:"\xD6verlast"},Be={en:Ae,sv:De};function C(r){return(r?.locale?.language??r?.language??"en").split("-")[0]}function k(r,e,t={}){return(Be[r]??Ae)[e].replace(/\{(\w+)\}/g,(i,a)=>String(t[a]??""))}var Ie=[{name:"entry_id",selector:{config_entry:{integration:"ev_load_balancer"}}},{name:"title",selector:{text:{}}}],q=class extends _{setConfig(e){this._config=e}render(){if(!this.hass||!this._config)return d``;let e=C(this.hass);return d`<ha-form
      .hass=${this.hass}
      .data=${this._config}
      .schema=${Ie}
      .computeLabel=${t=>k(e,t.name==="entry_id"?"pick_site":"title")}
      @value-changed=${this._changed}
    ></ha-form>`}_changed(e){let t={...e.detail.value};for(let s of["entry_id","title"])t[s]||delete t[s];this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:t},bubbles:!0,composed:!0}))}};q.properties={hass:{attribute:!1},_config:{state:!0}};customElements.get("ev-load-balancer-card-editor")||customElements.define("ev-load-balancer-card-editor",q);var xe=W`
  ha-card { padding: 12px 16px 8px; }
  .header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 12px; margin-bottom: 8px; }
  .title { font-size: 1.25em; font-weight: 500; color: var(--primary-text-color); }
  .summary, .secondary, .charger-detail, .of, .legend { color: var(--secondary-text-color); }
  .summary { font-size: 0.9em; }
  .empty { padding: 8px 0; color: var(--secondary-text-color); }
  .alert { border-radius: 6px; padding: 6px 10px; margin: 0 0 8px; font-weight: 500; }
  .alert.danger { background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .alert.warning { background: var(--warning-color, #ffa600); color: var(--text-primary-color, #fff); }
  .alert.info { border: 1px solid var(--info-color, #039be5); color: var(--primary-text-color); }
  .phase { display: grid; grid-template-columns: 2.2em 1fr auto; align-items: center; gap: 8px; margin: 6px 0; }
  .phase-name { font-weight: 500; color: var(--primary-text-color); }
  .phase-value { font-variant-numeric: tabular-nums; min-width: 7.5em; text-align: right; color: var(--primary-text-color); }
  .bar { position: relative; height: 22px; border-radius: 4px; overflow: hidden;
    background: var(--secondary-background-color, rgba(127,127,127,0.12)); }
  .bar.over { outline: 2px solid var(--error-color, #db4437); }
  .stack { position: absolute; inset: 0; display: flex; }
  .segment { height: 100%; box-shadow: inset -1px 0 0 var(--card-background-color, #fff); }
  .segment.building, .swatch.building { background: var(--disabled-text-color, #9e9e9e); }
  .segment.unknown { background: repeating-linear-gradient(45deg, transparent 0 4px, var(--disabled-text-color, #9e9e9e) 4px 6px); }
  .zone.margin, .swatch.margin { position: absolute; top: 0; bottom: 0;
    background: repeating-linear-gradient(135deg, transparent 0 5px, rgba(219,68,55,0.35) 5px 8px); }
  .swatch.margin { position: static; }
  .marker { position: absolute; top: 0; bottom: 0; width: 0; border-left: 2px solid; }
  .marker.fuse, .line.fuse { border-color: var(--error-color, #db4437); }
  .marker.usable { border-left: 2px dashed var(--primary-text-color); opacity: 0.6; }
  .marker.cap, .line.cap { border-color: var(--info-color, #039be5); border-left-width: 3px; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.85em; margin: 4px 0 10px 3em; }
  .legend span { display: inline-flex; align-items: center; gap: 5px; }
  .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; flex: none; }
  .line { display: inline-block; width: 0; height: 12px; border-left: 2px solid; }
  .chargers { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 0 16px; }
  .charger { display: flex; align-items: center; gap: 10px; padding: 7px 0; cursor: pointer;
    border-top: 1px solid var(--divider-color, rgba(127,127,127,0.2)); }
  .charger.trouble .charger-name { color: var(--error-color, #db4437); }
  .charger-main { flex: 1; min-width: 0; }
  .charger-name { font-weight: 500; color: var(--primary-text-color); display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }
  .charger-detail { font-size: 0.88em; overflow: hidden; text-overflow: ellipsis; }
  .charger-figures { text-align: right; font-variant-numeric: tabular-nums; color: var(--primary-text-color); }
  .chip { font-size: 0.75em; font-weight: 400; padding: 0 6px; border-radius: 8px;
    background: var(--secondary-background-color, rgba(127,127,127,0.15)); color: var(--secondary-text-color); }
  .chip.queue { background: var(--warning-color, #ffa600); color: var(--text-primary-color, #fff); }
  .chip.bad { background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .circuits { margin: 0 0 10px; }
  .circuits-title, .circuit-name { font-weight: 500; color: var(--primary-text-color); }
  .circuits-title { margin: 4px 0; }
  .circuit { padding: 4px 0; border-top: 1px solid var(--divider-color, rgba(127,127,127,0.2)); }
  .circuit-name { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }
  .circuit-phase { display: grid; grid-template-columns: 2.2em 1fr auto; align-items: center; gap: 8px; margin: 3px 0; }
  .circuit-phase .bar { height: 12px; }
  .circuit-phase .phase-name, .circuit-phase .phase-value { font-size: 0.85em; }
  .segment.load { background: var(--primary-color, #03a9f4); }
  @media (max-width: 450px) {
    .phase { grid-template-columns: 2em 1fr; }
    .phase-value { grid-column: 2; text-align: left; min-width: 0; font-size: 0.85em; }
    .legend { margin-left: 0; }
  }
`;var V="ev_load_balancer",T=["L1","L2","L3"],qe=1e4,we=["#1e88e5","#43a047","#fb8c00","#8e24aa","#00acc1","#e53935","#7cb342","#3949ab","#f4511e","#00897b","#c0ca33","#d81b60"];function Se(r){return we[r%we.length]}function v(r,e=1){return r==null?"\u2013":`${r.toFixed(e)} A`}function Ee(r){return r===null?"\u2013":r>=1e3?`${(r/1e3).toFixed(1)} kW`:`${Math.round(r)} W`}var L=class extends _{static getConfigElement(){return document.createElement("ev-load-balancer-card-editor")}static getStubConfig(){return{type:`custom:${V.replace(/_/g,"-")}-card`}}setConfig(e){if(!e)throw new Error("Invalid configuration");this._config=e,this._resubscribe()}getCardSize(){let e=this._site;if(!e)return 4;let t=(e.circuits??[]).reduce((s,i)=>s+1+i.phases.length/2,0);return 2+e.phases+Math.ceil(t)+Math.ceil(e.chargers.length/2)}getGridOptions(){return{columns:12,min_columns:6,min_rows:4}}connectedCallback(){super.connectedCallback(),this._resubscribe()}disconnectedCallback(){super.disconnectedCallback(),this._stop()}updated(e){e.has("hass")&&this.hass&&!this._unsubscribe&&(this.hass.loadBackendTranslation?.("entity",V),this._resubscribe())}_stop(){window.clearTimeout(this._retry),this._retry=void 0;let e=this._unsubscribe;this._unsubscribe=void 0,this._subscribedTo=void 0,e?.then(t=>t()).catch(()=>{})}async _resubscribe(){if(!this.hass||!this._config||!this.isConnected)return;let e=this._config.entry_id||await this._firstSite();if(!e){this._problem="no_site";return}if(this._subscribedTo===e&&this._unsubscribe)return;this._stop(),this._subscribedTo=e;let t=this.hass.connection.subscribeMessage(s=>{if("removed"in s){this._site=void 0,this._problem="no_site";return}this._problem=void 0,this._site=s},{type:`${V}/subscribe_site`,entry_id:e});this._unsubscribe=t,t.catch(()=>{this._unsubscribe===t&&(this._unsubscribe=void 0,this._subscribedTo=void 0,this._site=void 0,this._problem="not_loaded",this._retry=window.setTimeout(()=>this._resubscribe(),qe))})}async _firstSite(){let e=await this.hass.callWS({type:`${V}/sites`});return(e.find(t=>t.loaded)??e[0])?.entry_id}_t(e,t){return k(C(this.hass),e,t)}_state(e,t){if(!t)return"\u2013";let s=`component.${V}.entity.sensor.${e}.state.${t}`,i=this.hass?.localize(s);return i&&i!==s?i:t.replace(/_/g," ")}render(){let e=this._site,t=this._config?.title||e?.name||this._t("card_name");return d`<ha-card>
      <div class="header"><span class="title">${t}</span>${e?this._summary(e):h}</div>
      ${e?this._body(e):d`<div class="empty">${this._t(this._problem??"loading")}</div>`}
    </ha-card>`}_summary(e){return d`<span class="summary">
      ${this._t("charging",{count:e.charging_count})} ·
      ${this._t("queued",{count:e.queued_count})} · ${Ee(e.ev_power_w)}
    </span>`}_body(e){return d`
      ${this._alerts(e)}
      <div class="phases">${e.site_current_a.map((t,s)=>this._phase(e,s))}</div>
      ${this._legend(e)}
      ${this._circuits(e)}
      <div class="chargers">
        ${e.chargers.length?e.chargers.map((t,s)=>this._charger(t,s)):d`<div class="empty">${this._t("no_chargers")}</div>`}
      </div>
    `}_alerts(e){let t=[];return e.failsafe?t.push(d`<div class="alert danger" data-alert="failsafe">${this._t("failsafe")}</div>`):e.meter_healthy||t.push(d`<div class="alert danger" data-alert="meter">${this._t("meter_unhealthy")}</div>`),e.overload&&t.push(d`<div class="alert danger" data-alert="overload">${this._t("overload")}</div>`),e.balancing_enabled||t.push(d`<div class="alert warning" data-alert="off">${this._t("balancing_off")}</div>`),e.cap_a!==null&&t.push(d`<div class="alert info" data-alert="cap">${this._t("capped",{cap:e.cap_a})}</div>`),t}_phase(e,t){let s=e.cap_a??e.fuse_a,i=e.usable_a,a=e.baseline_a[t],n=e.site_current_a[t],c=e.chargers.map(g=>g.phase_current_a[t]??0),o=c.reduce((g,f)=>g+f,0),p=n??(a??0)+o,u=Math.max(e.fuse_a,p)*1.05,l=g=>`${Math.max(0,Math.min(100,g/u*100))}%`,m=n!==null&&n>i;return d`<div class="phase" data-phase=${T[t]}>
      <div class="phase-name">${T[t]}</div>
      <div class="bar ${m?"over":""}" role="img"
        aria-label="${T[t]}: ${v(p)} / ${e.fuse_a} A">
        <div class="zone margin" style="left:${l(i)};width:calc(${l(s)} - ${l(i)})"
          title="${this._t("margin")} ${e.margin_a} A"></div>
        <div class="stack">
          ${a===null?d`<div class="segment unknown" style="width:${l(Math.max(p-o,0))}"></div>`:d`<div class="segment building" data-segment="building" style="width:${l(a)}"
                title="${this._t("building")} ${v(a)}"></div>`}
          ${e.chargers.map((g,f)=>c[f]>.05?d`<div class="segment" data-segment="charger" data-charger=${g.id}
                  style="width:${l(c[f])};background:${Se(f)}"
                  title="${g.name} ${v(c[f])}"></div>`:h)}
        </div>
        <div class="marker usable" style="left:${l(i)}" title="${this._t("usable")} ${v(i)}"></div>
        ${e.cap_a!==null?d`<div class="marker cap" style="left:${l(e.cap_a)}" title="${this._t("cap")} ${e.cap_a} A"></div>`:h}
        <div class="marker fuse" style="left:${l(e.fuse_a)}" title="${this._t("fuse")} ${e.fuse_a} A"></div>
      </div>
      <div class="phase-value">${v(p)}<span class="of"> / ${e.fuse_a} A</span></div>
    </div>`}_legend(e){return d`<div class="legend">
      <span><i class="swatch building"></i>${this._t("building")}</span>
      <span><i class="swatch margin"></i>${this._t("margin")} ${e.margin_a} A</span>
      <span><i class="line fuse"></i>${this._t("fuse")} ${e.fuse_a} A</span>
      ${e.cap_a!==null?d`<span><i class="line cap"></i>${this._t("cap")} ${e.cap_a} A</span>`:h}
    </div>`}_circuits(e){let t=e.circuits??[];if(!t.length)return h;let s=new Map(t.map(a=>[a.id,a])),i=a=>{let n=0;for(let c=a.parent;c&&s.has(c)&&n<8;n++)c=s.get(c).parent;return n};return d`<div class="circuits">
      <div class="circuits-title">${this._t("circuits")}</div>
      ${t.map(a=>this._circuit(a,i(a)))}
    </div>`}_circuit(e,t){let s=[];return e.failsafe?s.push(["failsafe",this._t("circuit_failsafe")]):e.meter_problem&&s.push(["meter",this._t("circuit_meter")]),e.overload&&s.push(["overload",this._t("circuit_overload")]),d`<div class="circuit" data-circuit=${e.id}
      data-failsafe=${e.failsafe?"on":"off"} style="margin-left:${t*1.2}em">
      <div class="circuit-name">${e.name}
        <span class="chip">${this._t("rating")} ${e.rating_a} A</span>
        ${s.map(([i,a])=>d`<span class="chip bad" data-alert=${i}>${a}</span>`)}
      </div>
      ${e.phases.map((i,a)=>this._circuitPhase(e,i,a))}
    </div>`}_circuitPhase(e,t,s){let i=e.load_a[s],a=Math.max(e.rating_a,i??0)*1.05,n=o=>`${Math.max(0,Math.min(100,o/a*100))}%`,c=i!==null&&i>e.usable_a;return d`<div class="circuit-phase" data-phase=${T[t]}>
      <div class="phase-name">${T[t]}</div>
      <div class="bar ${c?"over":""}" role="img"
        aria-label="${e.name} ${T[t]}: ${v(i)} / ${e.rating_a} A">
        <div class="zone margin"
          style="left:${n(e.usable_a)};width:calc(${n(e.rating_a)} - ${n(e.usable_a)})"></div>
        <div class="stack">
          ${i===null?h:d`<div class="segment load" data-segment="load" style="width:${n(i)}"></div>`}
        </div>
        <div class="marker usable" style="left:${n(e.usable_a)}"
          title="${this._t("usable")} ${v(e.usable_a)}"></div>
        <div class="marker fuse" style="left:${n(e.rating_a)}"
          title="${this._t("fuse")} ${e.rating_a} A"></div>
      </div>
      <div class="phase-value">${v(i)}<span class="of"> / ${e.rating_a} A</span></div>
    </div>`}_charger(e,t){let s=[];e.boosted&&s.push(this._t("boosted")),e.included||s.push(this._t("excluded")),e.unresponsive&&s.push(this._t("unresponsive")),e.ignores_limit&&s.push(this._t("ignores_limit"));let i=e.unresponsive||e.ignores_limit,a=this._state("state",e.state),n=e.reason?this._state("reason",e.reason):"";return d`<div class="charger ${i?"trouble":""}" data-charger=${e.id}
      data-state=${e.state??""} @click=${()=>this._openDevice(e)}>
      <i class="swatch" style="background:${Se(t)}"></i>
      <div class="charger-main">
        <div class="charger-name">${e.name}
          ${e.queue_position!==null?d`<span class="chip queue">${this._t("queue",{position:e.queue_position})}</span>`:h}
          ${s.map(c=>d`<span class="chip ${i?"bad":""}">${c}</span>`)}
        </div>
        <div class="charger-detail">
          <span class="state">${a}</span>${n&&n!==a?d` · <span class="reason">${n}</span>`:h}
        </div>
      </div>
      <div class="charger-figures">
        <div title=${this._t("limit")}>${v(e.limit_a,0)}</div>
        <div class="secondary" title=${this._t("power")}>${Ee(e.power_w)}</div>
      </div>
    </div>`}_openDevice(e){e.device_id&&(history.pushState(null,"",`/config/devices/device/${e.device_id}`),window.dispatchEvent(new CustomEvent("location-changed",{detail:{replace:!1}})))}};L.styles=xe,L.properties={hass:{attribute:!1},_config:{state:!0},_site:{state:!0},_problem:{state:!0}};customElements.get("ev-load-balancer-card")||(customElements.define("ev-load-balancer-card",L),(window.customCards??=[]).push({type:"ev-load-balancer-card",name:k(C(void 0),"card_name"),description:k(C(void 0),"card_description"),preview:!0,documentationURL:"https://github.com/ev-load-balancer/ev_load_balancer#the-site-card"}));export{L as EvLoadBalancerCard,Se as chargerColour};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/

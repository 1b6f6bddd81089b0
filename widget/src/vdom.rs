//! The dialog's own small virtual DOM: views build a tree of [`Node`]s, and [`patch`] brings the
//! real DOM in line with it, element by element, touching only what changed.
//!
//! **Why not Yew** (a measured departure from `STYLE.md`'s Yew layout, see
//! `docs/widget-size.md`): the dialog is one screen of a few dozen elements, drawn from one
//! state, with five kinds of event. Yew's general machinery (keyed list reconciliation, the
//! listener registry with its hash maps, the scheduler's queues, components, portals, suspense,
//! its `tracing` spans) was about 63 KB of the app's 137 KB of code and about 40% of its brotli
//! bytes, and its lifecycle ran on the main thread at the customer's first click. This module
//! does what the dialog needs and nothing more:
//! - Children are matched by position. Every optional part of a view is a [`Node::Empty`] when
//!   absent (an empty text node in the DOM), so the parts after it keep their places and are
//!   updated, not rebuilt (an input keeps its focus and caret while the customer types).
//! - An element of another tag at a position is replaced whole; attributes are set and removed
//!   one by one; `value` and `checked` are properties, written only when the DOM's own value
//!   differs (what the customer typed is not overwritten by the same text).
//! - Each listener is added once per element and event: the closure the browser holds reads the
//!   view's latest handler from a shared cell, so a new render swaps handlers without touching
//!   the DOM's listeners.
//!
//! Renders are never run inside an event handler: the handler only queues an action, and the
//! app renders in a task of its own (see `app.rs`), so a handler is never dropped while it runs.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use web_sys::{Document, Element, Event};

/// What a listener runs.
pub type Handler = Rc<dyn Fn(Event)>;

/// A node of a view.
pub enum Node {
    El(Box<El>),
    Text(Cow<'static, str>),
    /// Nothing, holding its place among its siblings.
    Empty,
}

/// An element of a view: its tag, attributes, the two input properties, listeners, children.
pub struct El {
    tag: &'static str,
    attrs: Vec<(&'static str, Cow<'static, str>)>,
    value: Option<String>,
    checked: Option<bool>,
    listeners: Vec<(&'static str, Handler)>,
    children: Vec<Node>,
}

/// A new element.
pub fn h(tag: &'static str) -> El {
    El { tag, attrs: Vec::new(), value: None, checked: None, listeners: Vec::new(), children: Vec::new() }
}

impl El {
    /// Sets an attribute.
    pub fn attr(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> El {
        self.attrs.push((name, value.into()));
        self
    }

    /// The `value` property (inputs and text areas).
    pub fn value(mut self, value: String) -> El {
        self.value = Some(value);
        self
    }

    /// The `checked` property (checkboxes and radios).
    pub fn checked(mut self, checked: bool) -> El {
        self.checked = Some(checked);
        self
    }

    /// Listens to `event` (`click`, `change`, `input`, `submit`, `keydown`).
    pub fn on(mut self, event: &'static str, handler: impl Fn(Event) + 'static) -> El {
        self.listeners.push((event, Rc::new(handler)));
        self
    }

    /// Adds a child.
    pub fn child(mut self, child: impl Into<Node>) -> El {
        self.children.push(child.into());
        self
    }

    /// Adds children.
    pub fn children(mut self, children: impl IntoIterator<Item = Node>) -> El {
        self.children.extend(children);
        self
    }
}

impl From<El> for Node {
    fn from(el: El) -> Node {
        Node::El(Box::new(el))
    }
}

impl From<&'static str> for Node {
    fn from(text: &'static str) -> Node {
        Node::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Node {
    fn from(text: String) -> Node {
        Node::Text(Cow::Owned(text))
    }
}

impl From<Option<El>> for Node {
    fn from(el: Option<El>) -> Node {
        el.map_or(Node::Empty, Node::from)
    }
}

/// A listener the browser holds: the closure stays, the handler it runs is swapped.
struct Listener {
    event: &'static str,
    handler: Rc<RefCell<Handler>>,
    closure: Closure<dyn Fn(Event)>,
}

/// What is in the DOM for a node, and what it was drawn from.
pub struct Live {
    dom: web_sys::Node,
    kind: LiveKind,
}

enum LiveKind {
    Text(Cow<'static, str>),
    El {
        tag: &'static str,
        attrs: Vec<(&'static str, Cow<'static, str>)>,
        listeners: Vec<Listener>,
        children: Vec<Live>,
    },
}

/// Makes the children of `parent` what `nodes` describe, given what `live` says they are now.
/// Outside a page with a document (never the case for the app) it draws nothing.
pub fn patch(parent: &web_sys::Node, live: &mut Vec<Live>, nodes: Vec<Node>) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        patch_with(&document, parent, live, nodes);
    }
}

fn patch_with(document: &Document, parent: &web_sys::Node, live: &mut Vec<Live>, nodes: Vec<Node>) {
    let mut at = 0;
    for node in nodes {
        if at < live.len() {
            update(document, parent, &mut live[at], node);
        } else {
            let created = create(document, node);
            let _ = parent.append_child(&created.dom);
            live.push(created);
        }
        at += 1;
    }
    for gone in live.drain(at..) {
        let _ = parent.remove_child(&gone.dom);
    }
}

fn empty_text(document: &Document) -> Live {
    Live { dom: document.create_text_node("").into(), kind: LiveKind::Text(Cow::Borrowed("")) }
}

fn create(document: &Document, node: Node) -> Live {
    match node {
        Node::Text(text) => Live { dom: document.create_text_node(&text).into(), kind: LiveKind::Text(text) },
        Node::Empty => empty_text(document),
        Node::El(el) => {
            let El { tag, attrs, value, checked, listeners, children } = *el;
            // The tags are the views' own literals, which the browser always takes.
            let Ok(element) = document.create_element(tag) else {
                return empty_text(document);
            };
            for (name, value) in &attrs {
                let _ = element.set_attribute(name, value);
            }
            properties(&element, value, checked);
            let listeners = listeners.into_iter().map(|(event, handler)| listen(&element, event, handler)).collect();
            let mut live_children = Vec::new();
            patch_with(document, &element, &mut live_children, children);
            Live { dom: element.into(), kind: LiveKind::El { tag, attrs, listeners, children: live_children } }
        }
    }
}

fn listen(element: &Element, event: &'static str, handler: Handler) -> Listener {
    let handler = Rc::new(RefCell::new(handler));
    let current = handler.clone();
    let closure = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        let run = current.borrow().clone();
        run(event);
    });
    let _ = element.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    Listener { event, handler, closure }
}

/// Writes `value` and `checked` where the element's own differ.
fn properties(element: &Element, value: Option<String>, checked: Option<bool>) {
    let set = |name: &str, wanted: JsValue| {
        let name = JsValue::from_str(name);
        if Reflect::get(element, &name).ok().as_ref() != Some(&wanted) {
            let _ = Reflect::set(element, &name, &wanted);
        }
    };
    if let Some(value) = value {
        set("value", JsValue::from_str(&value));
    }
    if let Some(checked) = checked {
        set("checked", JsValue::from_bool(checked));
    }
}

fn update(document: &Document, parent: &web_sys::Node, live: &mut Live, node: Node) {
    match (&mut live.kind, node) {
        (LiveKind::Text(old), Node::Text(new)) => {
            if *old != new {
                live.dom.set_text_content(Some(&new));
                *old = new;
            }
        }
        (LiveKind::Text(old), Node::Empty) => {
            if !old.is_empty() {
                live.dom.set_text_content(Some(""));
                *old = Cow::Borrowed("");
            }
        }
        (LiveKind::El { tag, attrs, listeners, children }, Node::El(el)) if *tag == el.tag => {
            let El { attrs: new_attrs, value, checked, listeners: new_listeners, children: new_children, .. } = *el;
            let element: &Element = live.dom.unchecked_ref();
            for (name, value) in &new_attrs {
                if !attrs.iter().any(|(old_name, old_value)| old_name == name && old_value == value) {
                    let _ = element.set_attribute(name, value);
                }
            }
            for (name, _) in attrs.iter() {
                if !new_attrs.iter().any(|(new_name, _)| new_name == name) {
                    let _ = element.remove_attribute(name);
                }
            }
            *attrs = new_attrs;
            properties(element, value, checked);
            listeners.retain(|listener| {
                let kept = new_listeners.iter().any(|(event, _)| *event == listener.event);
                if !kept {
                    let _ = element
                        .remove_event_listener_with_callback(listener.event, listener.closure.as_ref().unchecked_ref());
                }
                kept
            });
            for (event, handler) in new_listeners {
                match listeners.iter().find(|listener| listener.event == event) {
                    Some(listener) => *listener.handler.borrow_mut() = handler,
                    None => listeners.push(listen(element, event, handler)),
                }
            }
            patch_with(document, &live.dom, children, new_children);
        }
        (_, node) => {
            let created = create(document, node);
            let _ = parent.replace_child(&created.dom, &live.dom);
            *live = created;
        }
    }
}

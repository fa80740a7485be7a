/*
 * Werkwijs SCORM runtime: window.API (SCORM 1.2) and window.API_1484_11 (SCORM 2004).
 *
 * The server injects this script, after a JSON block with id "werkwijs-scorm", at the
 * top of every HTML page of a package it serves. That block holds:
 *   model  - the data model of the package's standard (packages/runtime.py): each
 *            element's name pattern, access ("r", "w", "rw") and value rule, and the
 *            standard's error codes;
 *   values - every element the SCO may read now (what it stored before, to resume);
 *   commit - the URL (with the attempt's token) where changed values are sent.
 * The page is sandboxed with an opaque origin: no cookies, so the token is the proof,
 * and the request is a CORS request from origin "null" that the server answers.
 * The server checks every value again; this script's checks give the SCO the error
 * codes the standards promise.
 */
(function () {
  "use strict";

  var source = document.getElementById("werkwijs-scorm");
  if (!source) {
    return;
  }
  var setup = JSON.parse(source.textContent);
  var model = setup.model;
  var codes = model.errors;
  var standard = model.standard;
  var elements = model.elements.map(function (entry) {
    return { pattern: new RegExp("^" + entry[0] + "$"), access: entry[1], rule: entry[2] };
  });

  var values = Object.assign({}, setup.values);
  var changed = {};
  var state = "new"; // "new" -> "running" -> "finished"
  var lastError = codes.none;

  var MESSAGES = {
    "0": "No error",
    "101": "General exception",
    "102": "General initialization failure",
    "103": "Already initialized",
    "104": "Content instance terminated",
    "111": "General termination failure",
    "112": "Termination before initialization",
    "113": "Termination after termination",
    "122": "Retrieve data before initialization",
    "123": "Retrieve data after termination",
    "132": "Store data before initialization",
    "133": "Store data after termination",
    "142": "Commit before initialization",
    "143": "Commit after termination",
    "201": "Invalid argument error",
    "202": "Element cannot have children",
    "203": "Element not an array - cannot have count",
    "301": standard === "scorm12" ? "Not initialized" : "General get failure",
    "351": "General set failure",
    "391": "General commit failure",
    "401": standard === "scorm12" ? "Not implemented error" : "Undefined data model element",
    "402": standard === "scorm12"
      ? "Invalid set value, element is a keyword"
      : "Unimplemented data model element",
    "403": standard === "scorm12"
      ? "Element is read only"
      : "Data model element value not initialized",
    "404": standard === "scorm12" ? "Element is write only" : "Data model element is read only",
    "405": standard === "scorm12" ? "Incorrect data type" : "Data model element is write only",
    "406": "Data model element type mismatch",
    "407": "Data model element value out of range",
    "408": "Data model dependency not established"
  };

  function find(name) {
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].pattern.test(name)) {
        return elements[i];
      }
    }
    return null;
  }

  // How many entries an array (cmi.interactions, ...) has: its highest index + 1.
  function count(prefix) {
    var seen = {};
    var total = 0;
    Object.keys(values).forEach(function (key) {
      if (key.indexOf(prefix + ".") === 0) {
        var index = key.slice(prefix.length + 1).split(".")[0];
        if (/^\d+$/.test(index) && !seen[index]) {
          seen[index] = true;
          total += 1;
        }
      }
    });
    return total;
  }

  function valueProblem(rule, value) {
    if (value.length > (rule.max_length || 65536)) {
      return "type";
    }
    if (!new RegExp("^(?:" + rule.pattern + ")$").test(value)) {
      return "type";
    }
    if (rule.number && value !== "") {
      var number = Number(value);
      if (("min" in rule && number < rule.min) || ("max" in rule && number > rule.max)) {
        return "range";
      }
    }
    return null;
  }

  function fail(code) {
    lastError = code;
    return code === codes.none;
  }

  // The standards' "which call may come when": 2004 numbers each case, 1.2 says 301.
  function notRunning(before, after) {
    if (standard === "scorm12") {
      return "301";
    }
    return state === "new" ? before : after;
  }

  function getValue(name) {
    if (state !== "running") {
      lastError = notRunning("122", "123");
      return "";
    }
    name = String(name);
    if (name === "") {
      lastError = standard === "scorm12" ? "201" : "301";
      return "";
    }
    var element = find(name);
    if (element === null) {
      if (/\._(children|count)$/.test(name)) {
        lastError = /\._children$/.test(name)
          ? (standard === "scorm12" ? "202" : "301")
          : (standard === "scorm12" ? "203" : "301");
      } else {
        lastError = codes.undefined;
      }
      return "";
    }
    if (element.access === "w") {
      lastError = codes.write_only;
      return "";
    }
    if (/\._count$/.test(name)) {
      lastError = codes.none;
      return String(count(name.slice(0, -"._count".length)));
    }
    if (!(name in values)) {
      // 2004 tells the SCO the value was never set; 1.2 answers an empty string.
      lastError = standard === "scorm12" ? codes.none : "403";
      return "";
    }
    lastError = codes.none;
    return String(values[name]);
  }

  function setValue(name, value) {
    if (state !== "running") {
      return fail(notRunning("132", "133"));
    }
    name = String(name);
    value = String(value);
    if (name === "") {
      return fail(standard === "scorm12" ? "201" : "351");
    }
    var element = find(name);
    if (element === null) {
      return fail(codes.undefined);
    }
    if (/\._(children|count|version)$/.test(name)) {
      return fail(codes.keyword);
    }
    if (element.access === "r") {
      return fail(codes.read_only);
    }
    if (standard === "scorm12" && name === "cmi.core.lesson_status" && value === "not attempted") {
      return fail(codes.type);
    }
    var problem = valueProblem(element.rule || { pattern: ".*" }, value);
    if (problem) {
      return fail(codes[problem]);
    }
    var arrays = /(.*?)\.(\d+)\./g;
    var match;
    while ((match = arrays.exec(name)) !== null) {
      if (Number(match[2]) > count(match[1])) {
        return fail(codes.index);
      }
    }
    values[name] = value;
    changed[name] = value;
    return fail(codes.none);
  }

  // Commits go one after another: a Terminate that overtook its Commit would close the
  // session before the session time it reports had arrived.
  var queue = Promise.resolve();
  var pending = 0;

  // For the curious (and the tests): "saved" once every commit sent so far has landed.
  function report(outcome) {
    pending -= 1;
    if (outcome !== "saved" || pending === 0) {
      document.documentElement.setAttribute("data-werkwijs-commit", outcome);
    }
  }

  function post(body) {
    // text/plain keeps it a simple CORS request; keepalive lets it outlive the page.
    return fetch(setup.commit, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      keepalive: body.length < 60000,
      headers: { "Content-Type": "text/plain" },
      body: body
    }).then(function (response) {
      report(response.ok ? "saved" : "refused");
    }).catch(function () {
      report("failed");
    });
  }

  function send(finish) {
    var body = JSON.stringify({ values: changed, finish: finish });
    changed = {};
    pending += 1;
    document.documentElement.setAttribute("data-werkwijs-commit", "sending");
    queue = queue.then(function () { return post(body); });
    return queue;
  }

  function initialize(argument) {
    if (String(argument) !== "") {
      return fail("201");
    }
    if (state === "running") {
      return fail(standard === "scorm12" ? "101" : "103");
    }
    if (state === "finished") {
      return fail(standard === "scorm12" ? "101" : "104");
    }
    state = "running";
    return fail(codes.none);
  }

  function commit(argument) {
    if (String(argument) !== "") {
      return fail("201");
    }
    if (state !== "running") {
      return fail(notRunning("142", "143"));
    }
    send(false);
    return fail(codes.none);
  }

  function finish(argument) {
    if (String(argument) !== "") {
      return fail("201");
    }
    if (state !== "running") {
      return fail(notRunning("112", "113"));
    }
    state = "finished";
    send(true);
    return fail(codes.none);
  }

  function errorString(code) {
    return MESSAGES[String(code)] || "";
  }

  function diagnostic(code) {
    return errorString(code === "" || code === undefined ? lastError : code);
  }

  function asText(ok) {
    return ok ? "true" : "false";
  }

  if (standard === "scorm12") {
    window.API = {
      LMSInitialize: function (a) { return asText(initialize(a === undefined ? "" : a)); },
      LMSFinish: function (a) { return asText(finish(a === undefined ? "" : a)); },
      LMSGetValue: getValue,
      LMSSetValue: function (n, v) { return asText(setValue(n, v)); },
      LMSCommit: function (a) { return asText(commit(a === undefined ? "" : a)); },
      LMSGetLastError: function () { return lastError; },
      LMSGetErrorString: errorString,
      LMSGetDiagnostic: diagnostic
    };
  } else {
    window.API_1484_11 = {
      version: "1.0",
      Initialize: function (a) { return asText(initialize(a === undefined ? "" : a)); },
      Terminate: function (a) { return asText(finish(a === undefined ? "" : a)); },
      GetValue: getValue,
      SetValue: function (n, v) { return asText(setValue(n, v)); },
      Commit: function (a) { return asText(commit(a === undefined ? "" : a)); },
      GetLastError: function () { return lastError; },
      GetErrorString: errorString,
      GetDiagnostic: diagnostic
    };
  }

  // A learner who closes the unit without the SCO finishing keeps what it set.
  window.addEventListener("pagehide", function () {
    if (state === "running" && Object.keys(changed).length) {
      send(false);
    }
  });
})();
